//! [`LazyBox`]: a value allocated on first use and dropped through a vtable, for socket state
//! that only some applications use (Blob mode, typed handlers): one that never uses it links
//! neither its code nor its drop (ARCHITECTURE.md, Size techniques).

/// What [`LazyBox`] holds: its value, behind a trait object.
trait Erased<T> {
    fn get(&self) -> &T;
    fn get_mut(&mut self) -> &mut T;
}

impl<T> Erased<T> for T {
    fn get(&self) -> &T {
        self
    }

    fn get_mut(&mut self) -> &mut T {
        self
    }
}

/// A `T` created by the first [`get_or_default`](Self::get_or_default); empty until then.
pub(crate) struct LazyBox<T: 'static>(Option<Box<dyn Erased<T>>>);

impl<T: 'static> Default for LazyBox<T> {
    fn default() -> Self {
        LazyBox(None)
    }
}

impl<T: Default + 'static> LazyBox<T> {
    /// The value, created now if this is its first use.
    pub(crate) fn get_or_default(&mut self) -> &mut T {
        let boxed = self
            .0
            .get_or_insert_with(|| Box::new(T::default()) as Box<dyn Erased<T>>);
        Erased::<T>::get_mut(&mut **boxed)
    }
}

impl<T: 'static> LazyBox<T> {
    /// The value, if it was ever created.
    pub(crate) fn get(&self) -> Option<&T> {
        self.0.as_deref().map(Erased::<T>::get)
    }

    /// The value, if it was ever created, for changing it.
    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut().map(Erased::<T>::get_mut)
    }

    /// Takes the value out, leaving this empty (so it can be dropped outside a borrow).
    pub(crate) fn take(&mut self) -> LazyBox<T> {
        LazyBox(self.0.take())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::LazyBox;

    /// Counts its drops.
    #[derive(Default)]
    struct Probe(Rc<Cell<u32>>);

    impl Drop for Probe {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn empty_until_first_use_then_keeps_its_value() {
        let mut lazy: LazyBox<Vec<u8>> = LazyBox::default();
        assert!(lazy.get().is_none());
        assert!(lazy.get_mut().is_none());
        lazy.get_or_default().push(1);
        lazy.get_or_default().push(2);
        assert_eq!(lazy.get(), Some(&vec![1, 2]));
        if let Some(value) = lazy.get_mut() {
            value.push(3);
        }
        let taken = lazy.take();
        assert!(lazy.get().is_none());
        assert_eq!(taken.get(), Some(&vec![1, 2, 3]));
    }

    #[test]
    fn the_value_is_dropped_exactly_once_with_its_box() {
        let drops = Rc::new(Cell::new(0));
        let mut lazy: LazyBox<Probe> = LazyBox::default();
        lazy.get_or_default().0 = drops.clone();
        let taken = lazy.take();
        drop(lazy);
        assert_eq!(drops.get(), 0);
        drop(taken);
        assert_eq!(drops.get(), 1);
    }
}
