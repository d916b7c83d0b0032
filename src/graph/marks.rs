//! Dense per-node scratch maps for traversals, reused from call to call.
//!
//! A traversal records for each node it reaches a small number (a distance, a position in its
//! answer). A hash map costs a hash and a probe per look-up; a `Vec` indexed by node costs
//! O(V) to allocate and clear on every call, which is more than a short search does in all.
//! [`Marks`] is a `Vec` of (epoch, value) slots: a slot holds a value only when its epoch is
//! the map's current one, so taking a map for a new traversal only moves the epoch forward
//! (clearing the slots once every 2³² traversals). Maps are kept in a per-thread pool
//! ([`Marks::take`] gives one, dropping it gives it back), so that concurrent requests on
//! the blocking pool never share one and nested searches (Yen's spur searches) each get their
//! own.
//!
//! The pool holds, per thread, a few maps of 8 bytes per node of the largest graph traversed
//! on that thread: 200 KB each for a graph of 26,000 nodes.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

/// A map from node index to a `u32`, cleared in O(1) between traversals.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// (epoch, value) by node index; a slot of another epoch is empty.
    slots: Vec<(u32, u32)>,
    epoch: u32,
}

thread_local! {
    /// Maps given back by finished traversals on this thread.
    static POOL: RefCell<Vec<Marks>> = const { RefCell::new(Vec::new()) };
}

/// A map taken from the pool, given back when dropped.
#[derive(Debug)]
pub(crate) struct PooledMarks(Option<Marks>);

impl Marks {
    /// An empty map for nodes of index below `bound` (others grow it), from this thread's pool.
    ///
    /// # Complexity
    /// O(1), or O(bound) the first time a thread traverses a graph this large.
    pub(crate) fn take(bound: usize) -> PooledMarks {
        let mut marks = POOL
            .try_with(|pool| pool.borrow_mut().pop())
            .ok()
            .flatten()
            .unwrap_or_default();
        marks.epoch = marks.epoch.wrapping_add(1);
        if marks.epoch == 0 {
            marks.slots.fill((0, 0));
            marks.epoch = 1;
        }
        if marks.slots.len() < bound {
            marks.slots.resize(bound, (0, 0));
        }
        PooledMarks(Some(marks))
    }

    /// The value of node `index`, if set since the map was taken.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<u32> {
        match self.slots.get(index) {
            Some(&(epoch, value)) if epoch == self.epoch => Some(value),
            _ => None,
        }
    }

    /// Whether node `index` has a value.
    #[inline]
    pub(crate) fn contains(&self, index: usize) -> bool {
        self.get(index).is_some()
    }

    /// Sets the value of node `index`.
    #[inline]
    pub(crate) fn set(&mut self, index: usize, value: u32) {
        if index >= self.slots.len() {
            self.slots.resize(index + 1, (0, 0));
        }
        self.slots[index] = (self.epoch, value);
    }
}

impl Deref for PooledMarks {
    type Target = Marks;

    #[inline]
    fn deref(&self) -> &Marks {
        // Only `drop` takes the map out.
        self.0.as_ref().expect("a pooled map until dropped")
    }
}

impl DerefMut for PooledMarks {
    #[inline]
    fn deref_mut(&mut self) -> &mut Marks {
        self.0.as_mut().expect("a pooled map until dropped")
    }
}

impl Drop for PooledMarks {
    fn drop(&mut self) {
        if let Some(marks) = self.0.take() {
            // During thread teardown the pool may be gone: the map is then freed.
            let _ = POOL.try_with(|pool| pool.borrow_mut().push(marks));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_taken_again_is_empty_and_nested_maps_are_distinct() {
        {
            let mut a = Marks::take(4);
            a.set(1, 7);
            a.set(9, 3);
            assert_eq!((a.get(1), a.get(9), a.get(2)), (Some(7), Some(3), None));
            let mut b = Marks::take(4);
            assert_eq!(b.get(1), None, "a nested map is another map");
            b.set(1, 5);
            assert_eq!(a.get(1), Some(7));
        }
        let again = Marks::take(4);
        assert!(!again.contains(1) && !again.contains(9));
    }

    #[test]
    fn the_epoch_wrapping_around_clears_the_slots() {
        let mut marks = Marks::take(2);
        marks.set(0, 1);
        marks.0.as_mut().unwrap().epoch = u32::MAX;
        marks.set(1, 2);
        drop(marks);
        let marks = Marks::take(2);
        assert_eq!((marks.get(0), marks.get(1)), (None, None));
    }
}
