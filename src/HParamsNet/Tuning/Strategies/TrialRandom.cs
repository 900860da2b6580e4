namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The random source of trial n of a study with a given seed: the same in every process and on
/// every machine, so that a resumed study draws what the interrupted one would have.
/// </summary>
/// <remarks>
/// <see cref="HashCode"/> is randomised per process and must not be used to mix seeds; this uses
/// SplitMix64, then <see cref="Random(int)"/>, whose sequence for a seed is fixed.
/// </remarks>
internal static class TrialRandom
{
    /// <summary>A random source for trial <paramref name="trialNumber"/> of a study seeded with <paramref name="seed"/>.</summary>
    public static Random For(int seed, int trialNumber) => For(seed, trialNumber, attempt: 0);

    /// <summary>
    /// Another random source for the same trial (attempt 1, 2, ...), for asking a strategy again;
    /// attempt 0 is <see cref="For(int, int)"/>.
    /// </summary>
    internal static Random For(int seed, int trialNumber, int attempt)
    {
        ulong z = unchecked((((ulong)(uint)seed << 32) ^ (uint)trialNumber) + (0x9E3779B97F4A7C15UL * (ulong)(attempt + 1)));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random((int)(z & int.MaxValue));
    }
}
