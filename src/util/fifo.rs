//! [`Fifo`]: a first-in first-out queue made of two `Vec`s.
//!
//! `VecDeque`'s job with only `Vec`'s push and pop, which every application links anyway,
//! instead of the ring buffer's growth code. Each item moves at most twice: O(1) amortized.

/// Items in arrival order; the `Vec`s are boxed on first push, so an unused queue is one pointer.
#[derive(Debug)]
pub(crate) struct Fifo<T>(Option<Box<Halves<T>>>);

#[derive(Debug)]
struct Halves<T> {
    /// The newest items, oldest first.
    back: Vec<T>,
    /// The oldest items, oldest last (so the next one pops off the end).
    front: Vec<T>,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(None)
    }
}

impl<T> Fifo<T> {
    pub(crate) fn push_back(&mut self, item: T) {
        let halves = self.0.get_or_insert_with(|| {
            Box::new(Halves {
                back: Vec::new(),
                front: Vec::new(),
            })
        });
        halves.back.push(item);
    }

    /// The oldest item, if any.
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        let halves = self.0.as_deref_mut()?;
        if halves.front.is_empty() {
            // Pops and pushes only: no indexing, so no bounds-check panic is linked.
            while let Some(item) = halves.back.pop() {
                halves.front.push(item);
            }
        }
        halves.front.pop()
    }

    pub(crate) fn len(&self) -> usize {
        self.0
            .as_deref()
            .map_or(0, |halves| halves.front.len() + halves.back.len())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.as_deref().map_or(true, |halves| {
            halves.front.is_empty() && halves.back.is_empty()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Fifo;

    #[test]
    fn items_come_out_in_the_order_they_went_in() {
        let mut fifo = Fifo::default();
        assert!(fifo.is_empty());
        assert_eq!(fifo.pop_front(), None);
        fifo.push_back(1);
        fifo.push_back(2);
        assert_eq!(fifo.pop_front(), Some(1));
        fifo.push_back(3);
        assert_eq!(fifo.len(), 2);
        assert_eq!(fifo.pop_front(), Some(2));
        assert_eq!(fifo.pop_front(), Some(3));
        assert_eq!(fifo.pop_front(), None);
        assert!(fifo.is_empty());
    }
}

/// Property test: any interleaving of pushes and pops behaves exactly like `VecDeque`.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use std::collections::VecDeque;

    use proptest::prelude::*;

    use super::Fifo;

    proptest! {
        #[test]
        fn behaves_like_vec_deque(operations in prop::collection::vec(any::<Option<u16>>(), 0..200)) {
            let mut fifo = Fifo::default();
            let mut model = VecDeque::new();
            for operation in operations {
                match operation {
                    Some(item) => {
                        fifo.push_back(item);
                        model.push_back(item);
                    }
                    None => prop_assert_eq!(fifo.pop_front(), model.pop_front()),
                }
                prop_assert_eq!(fifo.len(), model.len());
                prop_assert_eq!(fifo.is_empty(), model.is_empty());
            }
            while let Some(item) = model.pop_front() {
                prop_assert_eq!(fifo.pop_front(), Some(item));
            }
            prop_assert_eq!(fifo.pop_front(), None);
        }
    }
}
