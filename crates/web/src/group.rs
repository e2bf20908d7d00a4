//! Rows grouped under a heading (a standard's or a sheet's dimensions),
//! each group where its first row stands.

/// A heading and its rows, in their order.
pub struct Group<T> {
    pub name: String,
    pub items: Vec<T>,
}

pub fn by<T>(items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<Group<T>> {
    let mut out: Vec<Group<T>> = Vec::new();
    for it in items {
        match out.iter_mut().find(|g| g.name == name(&it)) {
            Some(g) => g.items.push(it),
            None => out.push(Group {
                name: name(&it).to_string(),
                items: vec![it],
            }),
        }
    }
    out
}
