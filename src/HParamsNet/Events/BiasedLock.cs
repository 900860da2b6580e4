namespace HParamsNet.Events;

/// <summary>
/// A lock biased towards the one thread that writes scalars: that thread enters and leaves with
/// plain memory accesses, no atomic instruction; every other thread takes an ordinary lock and,
/// while the bias holds, first pauses the owner.
/// </summary>
/// <remarks>
/// <para>
/// Why: an uncontended <see cref="Lock"/> costs two atomic instructions, a tenth of a scalar event's
/// time, yet a training loop logs from one thread and the only other visitor is the flush timer,
/// every few seconds. So the costly half of the handshake moves to the rare side, as biased locks
/// in the JVM and asymmetric Dekker schemes do.
/// </para>
/// <para>
/// The handshake: the owner marks itself inside, then checks for a pause. Another thread takes the
/// lock, sets the pause, runs <see cref="Interlocked.MemoryBarrierProcessWide"/> (which makes the
/// owner's mark visible if it was made before the pause could be seen), then waits until the owner
/// is outside. The barrier stands in for the fence the owner leaves out: at least one of the two
/// sees the other, so they never both go on.
/// </para>
/// <para>
/// The bias goes to the first thread that calls <see cref="EnterToWriteScalars"/>. When another
/// thread writes scalars too, the bias ends for good and everyone takes the plain lock (a barrier
/// for every call of a second writer would cost more than the lock). Flushes, the timer and other
/// kinds of events from other threads only pause it. Reentrant for threads holding the lock; the
/// owner's fast path must not call <see cref="Enter"/>.
/// </para>
/// </remarks>
internal sealed class BiasedLock
{
    private readonly Lock _lock = new();
    private Thread? _owner;
    private bool _biasEnded;
    private int _ownerInside;
    private int _paused;

    /// <summary>Enters without an atomic instruction when called by the owner while no one pauses it; else returns <see langword="false"/>. <see cref="EnterToWriteScalars"/> tries this first.</summary>
    public bool TryEnterAsOwner()
    {
        // No owner (yet, or any more) answers without asking which thread this is.
        Thread? owner = Volatile.Read(ref _owner);
        if (owner is null || !ReferenceEquals(owner, Thread.CurrentThread))
        {
            return false;
        }

        Volatile.Write(ref _ownerInside, 1);
        if (Volatile.Read(ref _paused) != 0)
        {
            Volatile.Write(ref _ownerInside, 0);
            return false;
        }

        return true;
    }

    /// <summary>Leaves what <see cref="TryEnterAsOwner"/> entered.</summary>
    public void ExitAsOwner() => Volatile.Write(ref _ownerInside, 0);

    /// <summary>Enters exclusively, pausing the owner if another thread holds the bias.</summary>
    public Scope Enter()
    {
        // Ended for good (set under the lock, never unset): no owner can be inside to pause.
        if (Volatile.Read(ref _biasEnded))
        {
            _lock.Enter();
            return new Scope(this, Leave.Lock);
        }

        bool outermost = !_lock.IsHeldByCurrentThread;
        _lock.Enter();
        if (!outermost || _biasEnded || _owner is null || ReferenceEquals(_owner, Thread.CurrentThread))
        {
            return new Scope(this, Leave.Lock);
        }

        PauseOwner();
        return new Scope(this, Leave.LockAndPause);
    }

    /// <summary>
    /// Enters exclusively to write scalars: the owner as <see cref="TryEnterAsOwner"/> does, with
    /// no atomic instruction; any other thread takes the lock, and the first such thread becomes
    /// the owner while another one ends the bias for good.
    /// </summary>
    public Scope EnterToWriteScalars()
    {
        if (TryEnterAsOwner())
        {
            return new Scope(this, Leave.Owner);
        }

        Scope scope = Enter();
        if (_biasEnded)
        {
            return scope;
        }

        if (_owner is null)
        {
            Volatile.Write(ref _owner, Thread.CurrentThread);
        }
        else if (!ReferenceEquals(_owner, Thread.CurrentThread))
        {
            // The owner is paused and outside (Enter waited); the pause is never lifted now, so
            // an owner that still sees itself in _owner cannot enter either.
            Volatile.Write(ref _biasEnded, true);
            Volatile.Write(ref _owner, null);
        }

        return scope;
    }

    private void PauseOwner()
    {
        Volatile.Write(ref _paused, 1);
        Interlocked.MemoryBarrierProcessWide();
        var spin = default(SpinWait);
        while (Volatile.Read(ref _ownerInside) != 0)
        {
            spin.SpinOnce();
        }
    }

    private void Exit(Leave leave)
    {
        if (leave == Leave.Owner)
        {
            ExitAsOwner();
            return;
        }

        if (leave == Leave.LockAndPause && !_biasEnded)
        {
            Volatile.Write(ref _paused, 0);
        }

        _lock.Exit();
    }

    // How a scope entered, so how it leaves.
    internal enum Leave : byte
    {
        Lock,
        LockAndPause,
        Owner,
    }

    /// <summary>Leaves the lock when disposed (a <see langword="using"/> block).</summary>
    public readonly ref struct Scope
    {
        private readonly BiasedLock _owner;
        private readonly Leave _leave;

        internal Scope(BiasedLock owner, Leave leave)
        {
            _owner = owner;
            _leave = leave;
        }

        /// <summary>Leaves the lock.</summary>
        public void Dispose() => _owner.Exit(_leave);
    }
}
