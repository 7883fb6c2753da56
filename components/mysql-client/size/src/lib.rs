//! A size probe: one exported function that drives a pooled MySQL client through
//! authentication, a prepared statement with typed reads, a text query and a transaction, over
//! a stream replaying bytes the optimiser cannot see, so everything an image would keep is
//! kept. Without the `client` feature only the baseline (allocator, panic handler, one
//! allocation) remains.
#![no_std]

extern crate alloc;

use core::hint::black_box;

#[global_allocator]
static ALLOCATOR: linked_list_allocator::LockedHeap = linked_list_allocator::LockedHeap::empty();

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

/// The probe.
#[no_mangle]
pub extern "C" fn sauce_size_probe() -> usize {
    let baseline = alloc::vec![black_box(1u8); black_box(16)].len();
    baseline + client::run()
}

#[cfg(not(feature = "client"))]
mod client {
    pub fn run() -> usize {
        0
    }
}

#[cfg(feature = "client")]
mod client {
    use core::future::Future;
    use core::hint::black_box;
    use core::task::{Context, Poll, Waker};

    use sauce_connect::{Clock, Connector, ErrorKind, ErrorType, Read, Write};
    use sauce_mysql::{params, Options, Pool, PoolOptions, Random};

    static SERVER_BYTES: [u8; 128] = [0; 128];

    /// Replays bytes hidden from the optimiser.
    struct Replay(usize);

    impl ErrorType for Replay {
        type Error = ErrorKind;
    }

    impl Read for Replay {
        async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, ErrorKind> {
            let input = black_box(&SERVER_BYTES[..]);
            let rest = input.get(self.0..).unwrap_or(&[]);
            let count = buffer.len().min(rest.len());
            buffer[..count].copy_from_slice(&rest[..count]);
            self.0 += count;
            Ok(count)
        }
    }

    impl Write for Replay {
        async fn write(&mut self, buffer: &[u8]) -> Result<usize, ErrorKind> {
            Ok(black_box(buffer).len())
        }

        async fn flush(&mut self) -> Result<(), ErrorKind> {
            Ok(())
        }
    }

    struct Network;

    impl Connector for Network {
        type Stream = Replay;
        type Error = ErrorKind;

        async fn connect(&self, host: &str, port: u16) -> Result<Replay, ErrorKind> {
            Ok(Replay(black_box(host.len() + usize::from(port))))
        }
    }

    struct Time;

    impl Clock for Time {
        fn now_ms(&self) -> u64 {
            black_box(0)
        }

        async fn sleep_ms(&self, milliseconds: u64) {
            black_box(milliseconds);
        }
    }

    struct Entropy(u64);

    impl Random for Entropy {
        fn fill_bytes(&mut self, bytes: &mut [u8]) {
            for byte in bytes {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                *byte = self.0 as u8;
            }
        }
    }

    pub fn run() -> usize {
        let Ok(options) = Options::from_url(black_box("mysql://u:p@db:3306/app")) else {
            return 0;
        };
        let pool = Pool::new(Network, Time, Entropy(7), options, PoolOptions::DEFAULT);
        let work = async {
            let result = pool
                .execute("SELECT ?, ?", params![black_box(1i64), "x"])
                .await?;
            let mut total = result.len();
            for row in &result {
                let number: i64 = row.get(0)?;
                let text: alloc::string::String = row.get(1)?;
                total += number as usize + text.len();
            }
            let mut connection = pool.get().await?;
            let mut transaction = connection.begin().await?;
            transaction.query("UPDATE t SET n = n + 1").await?;
            transaction.commit().await?;
            Ok::<usize, sauce_mysql::Error>(total)
        };
        let mut work = core::pin::pin!(work);
        let mut context = Context::from_waker(Waker::noop());
        for _ in 0..black_box(100) {
            match work.as_mut().poll(&mut context) {
                Poll::Ready(Ok(value)) => return value,
                Poll::Ready(Err(error)) => return error.kind() as usize,
                Poll::Pending => {}
            }
        }
        0
    }

    extern crate alloc;
}
