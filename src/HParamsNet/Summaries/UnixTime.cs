namespace HParamsNet;

/// <summary>Unix seconds as TensorBoard stores times: a double with sub-second precision.</summary>
internal static class UnixTime
{
    public static double ToSeconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
