//! The allocator's policy (glibc), set before any thread starts: a server
//! that held 0.6–0.7 GB after a login storm should give memory back.
/// Tunes glibc's malloc; elsewhere a no-op.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes two integers and is called once, before the
    // runtime starts any other thread.
    unsafe {
        // Blocks of 1 MiB and more (an Argon2 check's 19 MiB, a spreadsheet's
        // buffers) are mapped and unmapped, instead of the threshold rising
        // to their size and every thread's heap keeping them once freed.
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        // One arena per core rather than eight: each keeps what it freed.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        libc::mallopt(libc::M_ARENA_MAX, i32::try_from(cores).unwrap_or(8).max(2));
    }
}
