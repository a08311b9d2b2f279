//! A fixed number of training workers. A worker that dies (a trap, an error while loading) is
//! replaced by a fresh one in its slot; the owner decides what its runs become.

use super::bridge::WorkerLink;
use crate::protocol::{FromWorker, ToWorker};
use std::rc::Rc;

pub struct Pool {
    links: Vec<WorkerLink>,
    make: Rc<dyn Fn(usize) -> Result<WorkerLink, String>>,
}

impl Pool {
    /// `on_message(i, msg)` sees worker i's messages (errors included).
    pub fn new(n: usize, on_message: impl Fn(usize, FromWorker) + 'static) -> Result<Pool, String> {
        let on = Rc::new(on_message);
        let make: Rc<dyn Fn(usize) -> Result<WorkerLink, String>> = Rc::new(move |i| {
            let on = on.clone();
            WorkerLink::new(move |m| on(i, m))
        });
        let links = (0..n).map(|i| make(i)).collect::<Result<Vec<_>, _>>()?;
        Ok(Pool { links, make })
    }

    pub fn len(&self) -> usize {
        self.links.len()
    }

    pub fn send(&self, i: usize, msg: &ToWorker) {
        if let Some(l) = self.links.get(i) {
            l.send(msg);
        }
    }

    pub fn send_all(&self, msg: &ToWorker) {
        self.links.iter().for_each(|l| l.send(msg));
    }

    /// Replaces worker i with a fresh one (after it died).
    pub fn restart(&mut self, i: usize) -> Result<(), String> {
        let fresh = (self.make)(i)?;
        if let Some(old) = self.links.get_mut(i) {
            old.terminate();
            *old = fresh;
        }
        Ok(())
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.links.iter().for_each(WorkerLink::terminate);
    }
}
