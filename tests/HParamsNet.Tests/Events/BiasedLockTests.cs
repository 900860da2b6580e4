using System.Runtime.CompilerServices;
using HParamsNet.Events;

namespace HParamsNet.Tests.Events;

/// <summary>
/// The scalar writer's lock: its owner enters with plain memory accesses, so mutual exclusion
/// rests on the pause handshake. The tests watch for two threads inside at once, and for a pause
/// or an ended bias that lets the owner back in too early. (The missing process-wide barrier, a
/// race of a few nanoseconds, is caught by SummaryWriterThreadTests, whose owner encodes events.)
/// </summary>
public class BiasedLockTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public void The_owner_and_pausing_threads_are_never_inside_together()
    {
        var gate = new BiasedLock();
        var room = new Room();
        const int VisitorSteps = 50_000;
        using var ownerReady = new ManualResetEventSlim();
        var visitorDone = new StrongBox<bool>();

        // The owner keeps entering for as long as the visitor pauses it, so every pause meets it.
        var owner = new Thread(() =>
        {
            using (gate.EnterToWriteScalars())
            {
                room.Visit();
            }

            ownerReady.Set();
            while (!Volatile.Read(ref visitorDone.Value))
            {
                WriteScalarsLike(gate, room.Visit);
            }
        });
        owner.Start();
        ownerReady.Wait();
        Task visitor = Task.Run(() =>
        {
            for (int i = 0; i < VisitorSteps; i++)
            {
                using (gate.Enter())
                {
                    room.Visit();
                }
            }

            Volatile.Write(ref visitorDone.Value, true);
        });

        Assert.That(visitor.Wait(Deadline) && owner.Join(Deadline), Is.True, "deadlocked");
        Assert.That(room.Collisions, Is.Zero, $"two threads were inside at once ({room.Visits:N0} visits)");
    }

    [Test]
    public void A_second_scalar_writer_ends_the_bias_and_both_count_exactly()
    {
        var gate = new BiasedLock();
        var counter = new Counter();
        const int Steps = 300_000;

        void Write()
        {
            for (int i = 0; i < Steps; i++)
            {
                WriteScalarsLike(gate, () => counter.Value++);
            }
        }

        Task[] writers = [Task.Factory.StartNew(Write, TaskCreationOptions.LongRunning), Task.Factory.StartNew(Write, TaskCreationOptions.LongRunning)];

        Assert.That(Task.WaitAll(writers, Deadline), Is.True, "deadlocked");
        Assert.Multiple(() =>
        {
            Assert.That(counter.Value, Is.EqualTo(2 * Steps));
            // Whoever claimed the bias lost it when the other wrote: neither enters as owner now.
            Assert.That(gate.TryEnterAsOwner(), Is.False);
        });
    }

    [Test]
    public void Only_the_owner_takes_the_fast_path_and_a_nested_exit_keeps_it_paused()
    {
        var gate = new BiasedLock();
        Assert.That(gate.TryEnterAsOwner(), Is.False, "no owner before the first scalar write");
        using (gate.EnterToWriteScalars())
        {
        }

        Assert.That(gate.TryEnterAsOwner(), Is.True, "the first scalar writer owns it");
        gate.ExitAsOwner();

        using var inBoth = new SemaphoreSlim(0);
        using var leaveInner = new SemaphoreSlim(0);
        using var inOuter = new SemaphoreSlim(0);
        using var leaveOuter = new SemaphoreSlim(0);
        bool visitorWasOwner = true;
        var visitor = new Thread(() =>
        {
            visitorWasOwner = gate.TryEnterAsOwner();
            using (gate.Enter())
            {
                using (gate.Enter())
                {
                    inBoth.Release();
                    leaveInner.Wait();
                }

                inOuter.Release();
                leaveOuter.Wait();
            }
        });
        visitor.Start();

        inBoth.Wait();
        bool ownerWhileNested = gate.TryEnterAsOwner();
        leaveInner.Release();
        inOuter.Wait();
        bool ownerAfterInnerExit = gate.TryEnterAsOwner();
        leaveOuter.Release();
        Assert.That(visitor.Join(Deadline), Is.True);
        bool ownerAfterVisitor = gate.TryEnterAsOwner();
        gate.ExitAsOwner();

        Assert.Multiple(() =>
        {
            Assert.That(visitorWasOwner, Is.False, "another thread is not the owner");
            Assert.That(ownerWhileNested, Is.False, "paused while the visitor is inside");
            Assert.That(ownerAfterInnerExit, Is.False, "leaving the inner scope must not lift the outer one's pause");
            Assert.That(ownerAfterVisitor, Is.True, "the pause is lifted when the visitor leaves");
        });
    }

    // What SummaryWriter.Scalar does around each event.
    private static void WriteScalarsLike(BiasedLock gate, Action inside)
    {
        using (gate.EnterToWriteScalars())
        {
            inside();
        }
    }

    private sealed class Counter
    {
        public long Value;
    }

    // Counts the times a thread finds another inside. Plain stores only, as the scalar encoder
    // makes them (a fence here would hide the reordering the handshake must survive), and a visit
    // long enough that an overlap the lock lets through is seen.
    private sealed class Room
    {
        private readonly byte[] _scratch = new byte[256];
        private int _occupant;
        private int _collisions;
        private long _visits;

        public int Collisions => Volatile.Read(ref _collisions);

        public long Visits => Volatile.Read(ref _visits);

        public void Visit()
        {
            int me = Environment.CurrentManagedThreadId;
            if (Volatile.Read(ref _occupant) != 0)
            {
                Interlocked.Increment(ref _collisions);
            }

            Volatile.Write(ref _occupant, me);
            for (int i = 0; i < _scratch.Length; i++)
            {
                _scratch[i] = (byte)(i + me);
            }

            if (Volatile.Read(ref _occupant) != me)
            {
                Interlocked.Increment(ref _collisions);
            }

            Volatile.Write(ref _occupant, 0);
            _visits++;
        }
    }
}
