namespace HParamsNet.Tests.Support;

/// <summary>A clock a test sets to any time, also backwards (FakeTimeProvider only moves forward).</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void SetUnixSeconds(double seconds) => Now = Golden.At(seconds);
}
