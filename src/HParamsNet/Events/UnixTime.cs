namespace HParamsNet.Events;

/// <summary>Unix seconds as TensorBoard stores times: a double with sub-second precision.</summary>
internal static class UnixTime
{
    public static double ToSeconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>
    /// Unix seconds read from a file as a time; <see langword="null"/> when they are NaN or
    /// outside what <see cref="DateTimeOffset"/> holds (a damaged or hostile file).
    /// </summary>
    public static DateTimeOffset? FromSeconds(double seconds)
    {
        double ticks = seconds * TimeSpan.TicksPerSecond;
        long min = DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long max = DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return double.IsNaN(ticks) || ticks < min || ticks > max ? null : DateTimeOffset.UnixEpoch.AddTicks((long)ticks);
    }

    /// <summary>Like <see cref="FromSeconds"/>, with the Unix epoch for a time that cannot be read.</summary>
    public static DateTimeOffset FromSecondsOrEpoch(double seconds) => FromSeconds(seconds) ?? DateTimeOffset.UnixEpoch;
}
