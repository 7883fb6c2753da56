//! [`VirtioNet`] and its smoltcp tokens.

use alloc::sync::Arc;
use alloc::vec;
use core::cell::RefCell;
use core::sync::atomic::{fence, AtomicU16, Ordering};
use sauce_virtio_common::virtio_drivers::device::net::VirtIONetRaw;
use sauce_virtio_common::virtio_drivers::transport::Transport;
use sauce_virtio_common::{InOrderStatus, KernelHal};
use smoltcp::phy::{Device, DeviceCapabilities, Medium, RxToken, TxToken};
use smoltcp::time::Instant;

use crate::notification::{NotificationControl, Shared};

/// Buffers per virtqueue.
pub const QUEUE_SIZE: usize = 64;
/// Bytes per buffer: a virtio-net header and a full Ethernet frame (1514 bytes) fit.
const BUFFER_SIZE: usize = 2048;
/// Largest Ethernet frame without its checksum.
const FRAME_SIZE: usize = 1514;

/// `VIRTQ_AVAIL_F_NO_INTERRUPT`: the driver does not want used-buffer interrupts.
const NO_INTERRUPT: u16 = 1;

type Raw<T> = VirtIONetRaw<KernelHal, InOrderStatus<NotificationControl<T>>, QUEUE_SIZE>;

/// Receive-side bookkeeping: which buffer each descriptor token holds.
struct Receive {
    buffers: &'static mut [[u8; BUFFER_SIZE]],
    slot_of_token: [u8; QUEUE_SIZE],
}

/// Transmit-side bookkeeping: free buffers and which buffer each token holds.
struct Transmit {
    buffers: &'static mut [[u8; BUFFER_SIZE]],
    slot_of_token: [u8; QUEUE_SIZE],
    free: [u8; QUEUE_SIZE],
    free_count: usize,
    /// Holds the physical (= virtual) address of the transmit queue's available ring, whose
    /// first field is the driver's flags; 0 if the transport never said.
    shared: Arc<Shared>,
    /// Whether completions currently interrupt (only while every buffer is in flight).
    interrupts_on: bool,
}

impl Transmit {
    /// Asks the device to interrupt on transmit completions, or not.
    fn set_interrupts(&mut self, on: bool) {
        let address = self.shared.transmit_driver_area.load(Ordering::Relaxed);
        if address == 0 || self.interrupts_on == on {
            return;
        }
        self.interrupts_on = on;
        // SAFETY: `address` is where virtio-drivers put this queue's available ring (the
        // transport was told in `queue_set`), in identity-mapped DMA memory the queue owns for
        // as long as the driver (and so `self`) lives. Its first field is the 16-bit flags word,
        // which virtio-drivers writes only in `set_dev_notify`, never called here; the device
        // only reads it. The ring is 2-byte aligned (it is page-aligned).
        let flags = unsafe { AtomicU16::from_ptr(address as *mut u16) };
        flags.store(if on { 0 } else { NO_INTERRUPT }, Ordering::Release);
    }
}

/// A virtio network device over any transport.
pub struct VirtioNet<T: Transport> {
    raw: RefCell<Raw<T>>,
    receive: Receive,
    transmit: Transmit,
}

fn leak_buffers() -> &'static mut [[u8; BUFFER_SIZE]] {
    vec![[0u8; BUFFER_SIZE]; QUEUE_SIZE].leak()
}

impl<T: Transport> VirtioNet<T> {
    /// Negotiates features, sets up both queues and posts every receive buffer.
    pub fn new(transport: T) -> Result<Self, sauce_virtio_common::virtio_drivers::Error> {
        let (transport, shared) = NotificationControl::new(transport);
        let mut raw = Raw::<T>::new(InOrderStatus(transport))?;
        let mut receive = Receive {
            buffers: leak_buffers(),
            slot_of_token: [0; QUEUE_SIZE],
        };
        // One kick, for the last buffer, tells the device about all of them.
        shared.hold_kicks.store(true, Ordering::Relaxed);
        for (slot, buffer) in receive.buffers.iter_mut().enumerate() {
            if slot == QUEUE_SIZE - 1 {
                shared.hold_kicks.store(false, Ordering::Relaxed);
            }
            // SAFETY: the buffer is leaked: it lives, unmoved, for the rest of the program, and
            // the driver touches it again only after the device returns it (contract rule 1).
            let token = unsafe { raw.receive_begin(buffer)? };
            receive.slot_of_token[usize::from(token)] = slot as u8;
        }
        let mut free = [0u8; QUEUE_SIZE];
        for (slot, entry) in free.iter_mut().enumerate() {
            *entry = slot as u8;
        }
        let mut transmit = Transmit {
            buffers: leak_buffers(),
            slot_of_token: [0; QUEUE_SIZE],
            free,
            free_count: QUEUE_SIZE,
            shared,
            interrupts_on: true,
        };
        // Transmit buffers are reclaimed whenever the stack polls the device, so completions
        // need no interrupt, except when all are in flight (see `reclaim_transmitted`).
        transmit.set_interrupts(false);
        Ok(Self {
            raw: RefCell::new(raw),
            receive,
            transmit,
        })
    }

    /// The device's MAC address.
    pub fn mac_address(&self) -> [u8; 6] {
        self.raw.borrow().mac_address()
    }

    /// Takes back the transmit buffers the device has finished with. When every buffer is
    /// still in flight, completions are made to interrupt (the stack waits for one), and the
    /// queue is looked at once more in case the last completion came before the flag was seen.
    fn reclaim_transmitted(raw: &mut Raw<T>, transmit: &mut Transmit) {
        Self::take_back(raw, transmit);
        if transmit.free_count == 0 {
            transmit.set_interrupts(true);
            fence(Ordering::SeqCst);
            Self::take_back(raw, transmit);
        }
        if transmit.free_count > 0 {
            transmit.set_interrupts(false);
        }
    }

    fn take_back(raw: &mut Raw<T>, transmit: &mut Transmit) {
        while let Some(token) = raw.poll_transmit() {
            let slot = transmit.slot_of_token[usize::from(token)];
            // SAFETY: `token` names the buffer posted from `slot`, which the device has now
            // returned; the slice passed is that same buffer.
            let _ = unsafe { raw.transmit_complete(token, &transmit.buffers[usize::from(slot)]) };
            transmit.free[transmit.free_count] = slot;
            transmit.free_count += 1;
        }
    }
}

/// A received frame, read in place and then posted again.
pub struct VirtioRxToken<'a, T: Transport> {
    raw: &'a RefCell<Raw<T>>,
    receive: &'a mut Receive,
    token: u16,
}

/// Room for one frame to send.
pub struct VirtioTxToken<'a, T: Transport> {
    raw: &'a RefCell<Raw<T>>,
    transmit: &'a mut Transmit,
}

impl<T: Transport> RxToken for VirtioRxToken<'_, T> {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, work: F) -> R {
        let slot = usize::from(self.receive.slot_of_token[usize::from(self.token)]);
        let buffer = &mut self.receive.buffers[slot];
        // SAFETY: `token` names the buffer posted from `slot`, which the device has returned.
        let frame = unsafe { self.raw.borrow_mut().receive_complete(self.token, buffer) };
        // The queue is not borrowed while the stack handles the frame: it may answer through
        // the transmit token handed out with this one.
        let result = match frame {
            Ok((header, length)) => work(&buffer[header..(header + length).min(BUFFER_SIZE)]),
            Err(_) => work(&[]),
        };
        // SAFETY: as in `VirtioNet::new`: the leaked buffer is posted again and untouched until
        // the device returns it.
        if let Ok(token) = unsafe { self.raw.borrow_mut().receive_begin(buffer) } {
            self.receive.slot_of_token[usize::from(token)] = slot as u8;
        }
        result
    }
}

impl<T: Transport> TxToken for VirtioTxToken<'_, T> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, length: usize, work: F) -> R {
        let mut raw = self.raw.borrow_mut();
        VirtioNet::<T>::reclaim_transmitted(&mut raw, self.transmit);
        let length = length.min(FRAME_SIZE);
        if self.transmit.free_count == 0 {
            let mut discard = [0u8; FRAME_SIZE];
            return work(&mut discard[..length]);
        }
        self.transmit.free_count -= 1;
        let slot = usize::from(self.transmit.free[self.transmit.free_count]);
        let buffer = &mut self.transmit.buffers[slot];
        let header = raw.fill_buffer_header(buffer).unwrap_or(0);
        let result = work(&mut buffer[header..header + length]);
        // SAFETY: the leaked buffer stays untouched until the device returns it through
        // `poll_transmit`, when `reclaim_transmitted` puts its slot back on the free list.
        match unsafe { raw.transmit_begin(&buffer[..header + length]) } {
            Ok(token) => self.transmit.slot_of_token[usize::from(token)] = slot as u8,
            Err(_) => {
                self.transmit.free[self.transmit.free_count] = slot as u8;
                self.transmit.free_count += 1;
            }
        }
        result
    }
}

impl<T: Transport> Device for VirtioNet<T> {
    type RxToken<'a>
        = VirtioRxToken<'a, T>
    where
        Self: 'a;
    type TxToken<'a>
        = VirtioTxToken<'a, T>
    where
        Self: 'a;

    fn receive(&mut self, _timestamp: Instant) -> Option<(Self::RxToken<'_>, Self::TxToken<'_>)> {
        // A frame is only taken when an answer to it can be sent: a full transmit queue leaves
        // received frames waiting in theirs rather than dropping the reply (a lost SYN-ACK
        // costs the client a one-second retransmission).
        Self::reclaim_transmitted(&mut self.raw.borrow_mut(), &mut self.transmit);
        if self.transmit.free_count == 0 {
            return None;
        }
        let token = self.raw.borrow().poll_receive()?;
        Some((
            VirtioRxToken {
                raw: &self.raw,
                receive: &mut self.receive,
                token,
            },
            VirtioTxToken {
                raw: &self.raw,
                transmit: &mut self.transmit,
            },
        ))
    }

    fn transmit(&mut self, _timestamp: Instant) -> Option<Self::TxToken<'_>> {
        Self::reclaim_transmitted(&mut self.raw.borrow_mut(), &mut self.transmit);
        if self.transmit.free_count == 0 {
            return None;
        }
        Some(VirtioTxToken {
            raw: &self.raw,
            transmit: &mut self.transmit,
        })
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut capabilities = DeviceCapabilities::default();
        capabilities.medium = Medium::Ethernet;
        capabilities.max_transmission_unit = FRAME_SIZE;
        capabilities.max_burst_size = Some(QUEUE_SIZE);
        capabilities
    }
}
