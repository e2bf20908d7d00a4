//! One definition of "a goal is supported in an organization" (有党建任务支撑),
//! which the fusion view (融合度) and the superior's matrix (督导矩阵) both read.
//!
//! A goal is supported in an organization when a Party task of that
//! organization, or of one below it, serves the goal, a goal it was broken
//! down from (分解下达, at any depth), or a share broken down from it. So a
//! committee's task serving the committee's goal, once deployed to a branch,
//! supports the branch's share of that goal there, and a branch's task
//! serving its share supports the committee's goal in the branch and in the
//! committee.
use std::collections::HashMap;

/// A goal as the definition needs it.
#[derive(Clone, Copy, Debug)]
pub struct Node<'a> {
    pub id: &'a str,
    /// The goal it was broken down from.
    pub parent_id: Option<&'a str>,
    pub org_id: &'a str,
    /// The organization's path, `/root/…/self/`.
    pub org_path: &'a str,
}

/// The goals known to a view, indexed both ways along their breakdown.
#[derive(Default)]
pub struct Lines<'a> {
    by_id: HashMap<&'a str, Node<'a>>,
    /// (goal, organization) → the share of the goal broken down there.
    shares: HashMap<(&'a str, &'a str), &'a str>,
}

impl<'a> Lines<'a> {
    pub fn new(goals: impl IntoIterator<Item = Node<'a>>) -> Lines<'a> {
        let mut l = Lines::default();
        for n in goals {
            if let Some(p) = n.parent_id {
                l.shares.insert((p, n.org_id), n.id);
            }
            l.by_id.insert(n.id, n);
        }
        l
    }

    /// The goals a Party task of the organization at `task_path` supports
    /// by serving `served`: the goal itself and those it was broken down from
    /// (whose organizations lie above the task's), and the shares broken down
    /// from it to the task's organization or those between. Goals unknown to
    /// the view are passed over.
    pub fn supported_by(&self, task_path: &str, served: &'a str) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut cur = Some(served);
        // A breakdown is a tree; the bound only guards against a cycle in bad data.
        for _ in 0..64 {
            let Some(n) = cur.and_then(|id| self.by_id.get(id)) else {
                break;
            };
            if task_path.starts_with(n.org_path) {
                out.push(n.id);
            }
            cur = n.parent_id;
        }
        let orgs: Vec<&str> = task_path.split('/').filter(|s| !s.is_empty()).collect();
        let mut cur = served;
        'down: for _ in 0..64 {
            for org in &orgs {
                if let Some(&share) = self.shares.get(&(cur, *org)) {
                    if share != cur {
                        out.push(share);
                        cur = share;
                        continue 'down;
                    }
                }
            }
            break;
        }
        out
    }

    /// Whether `goal` is supported in the organization at `org_path`, given
    /// the Party tasks' links as (task organization path, goal served).
    pub fn supported_in(&self, goal: &str, org_path: &str, links: &[(&str, &'a str)]) -> bool {
        links
            .iter()
            .any(|(p, s)| p.starts_with(org_path) && self.supported_by(p, s).contains(&goal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node<'a>(id: &'a str, parent: Option<&'a str>, org: &'a str, path: &'a str) -> Node<'a> {
        Node {
            id,
            parent_id: parent,
            org_id: org,
            org_path: path,
        }
    }

    #[test]
    fn a_goal_is_supported_along_its_breakdown_where_the_task_is() {
        // Committee c: goal G, broken down to general branch z (Gz) and on to branch b (Gb);
        // branch a (directly under c) has its share Ga.
        let l = Lines::new([
            node("G", None, "c", "/c/"),
            node("Gz", Some("G"), "z", "/c/z/"),
            node("Gb", Some("Gz"), "b", "/c/z/b/"),
            node("Ga", Some("G"), "a", "/c/a/"),
        ]);
        // The committee's task deployed to b serves G: it supports G, Gz and Gb, not Ga.
        let mut s = l.supported_by("/c/z/b/", "G");
        s.sort();
        assert_eq!(s, ["G", "Gb", "Gz"]);
        // b's own task serving Gb supports Gb, and above it Gz and G.
        let mut s = l.supported_by("/c/z/b/", "Gb");
        s.sort();
        assert_eq!(s, ["G", "Gb", "Gz"]);
        // The committee's own task (at c) supports G only.
        assert_eq!(l.supported_by("/c/", "G"), ["G"]);
        let links = [("/c/z/b/", "G")];
        assert!(l.supported_in("Gb", "/c/z/b/", &links));
        assert!(l.supported_in("G", "/c/", &links));
        assert!(l.supported_in("G", "/c/z/", &links), "z holds b");
        assert!(!l.supported_in("Ga", "/c/a/", &links));
        assert!(!l.supported_in("G", "/c/a/", &links));
    }
}
