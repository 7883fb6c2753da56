//! A size probe: one exported function that drives a pooled Redis client through connect,
//! typed commands and a pipeline over a stream replaying opaque bytes, so everything a
//! real image would keep is kept. Without the `client` feature only the baseline (allocator,
//! panic handler, one allocation) remains; the difference is the client's size.
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
    use sauce_redis::{Configuration, Pipeline, Pool, PoolOptions, SetOptions};

    static REPLIES: [u8; 64] = [0; 64];

    /// Replays bytes the optimiser cannot see.
    struct Replay(usize);

    impl ErrorType for Replay {
        type Error = ErrorKind;
    }

    impl Read for Replay {
        async fn read(&mut self, buffer: &mut [u8]) -> Result<usize, ErrorKind> {
            let input = black_box(&REPLIES[..]);
            let count = buffer.len().min(input.len().saturating_sub(self.0));
            buffer[..count].copy_from_slice(&input[self.0..self.0 + count]);
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

    struct Random(u64);

    impl rand_core::RngCore for Random {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0
        }
        fn fill_bytes(&mut self, destination: &mut [u8]) {
            for byte in destination {
                *byte = self.next_u64() as u8;
            }
        }
        fn try_fill_bytes(&mut self, destination: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(destination);
            Ok(())
        }
    }

    pub fn run() -> usize {
        let Ok(configuration) = Configuration::parse(black_box("redis://u:p@cache:6379/1")) else {
            return 0;
        };
        let pool = Pool::new(configuration, PoolOptions::DEFAULT, Network, Time, Random(7));
        let work = pool.run(async |client| {
            let hits = client.incr(black_box(b"hits")).await?;
            client.set_with(b"key", b"value", SetOptions::default()).await?;
            let value = client.get(b"key").await?.map_or(0, |value| value.len());
            let pairs = client.hgetall(b"hash").await?.len();
            let items = client.lrange(b"list", 0, -1).await?.len();
            let members = client.smembers(b"set").await?.len();
            let mut pipeline = Pipeline::new();
            pipeline.command(&[b"INCR", b"a"]).command(&[b"EXPIRE", b"a", b"10"]);
            let replies = client.pipeline(&pipeline).await?.len();
            Ok::<usize, sauce_redis::Error>(hits as usize + value + pairs + items + members + replies)
        });
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
