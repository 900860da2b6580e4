using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// The set of values a hyperparameter ranges over: <see cref="Discrete"/>,
/// <see cref="RealInterval"/> or <see cref="IntInterval"/>, as in TensorBoard's
/// <c>tensorboard.plugins.hparams.api</c>. Domains are immutable and compare by value.
/// </summary>
public abstract record Domain
{
    private protected Domain()
    {
    }

    /// <summary>
    /// No domain: what an hparam declared without one reads as (TensorBoard's Python API allows
    /// <c>hp.HParam("name")</c>), and what a domain this library cannot represent reads as from a
    /// foreign log directory. Every number, string and bool is in it; a tuner refuses it.
    /// </summary>
    public static Domain Unspecified => UnspecifiedDomain.Instance;

    /// <summary>
    /// The .NET type of the domain's values: <see cref="long"/>, <see cref="double"/>,
    /// <see cref="string"/> or <see cref="bool"/> (TensorBoard's Python API says int, float,
    /// str or bool).
    /// </summary>
    public abstract Type ValueType { get; }

    /// <summary>Whether <paramref name="value"/> is in the domain (16 and 16.0 are the same number).</summary>
    /// <param name="value">A number, string or bool.</param>
    public bool Contains(object? value)
    {
        object? normalized;
        try
        {
            normalized = value is null ? null : HParamValues.Normalize("value", value);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return normalized is not null && ContainsNormalized(normalized);
    }

    /// <summary>A value drawn uniformly at random from the domain.</summary>
    /// <param name="random">The source of randomness.</param>
    public abstract object SampleUniform(Random random);

    /// <summary>
    /// Checks that <paramref name="value"/> may be written for hparam <paramref name="hparamName"/>
    /// and returns it normalised (whole numbers as <see cref="long"/>, other numbers as
    /// <see cref="double"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The value is not in the domain; the message names the hparam, the value and the domain.</exception>
    internal object Validate(string hparamName, object? value)
    {
        object normalized = HParamValues.Normalize(hparamName, value);
        if (!ContainsNormalized(normalized))
        {
            throw new ArgumentException(
                $"Hparam '{hparamName}' = {HParamValues.Format(normalized)} is outside its domain {this}. Use a value inside the domain, or declare a domain that includes it.",
                nameof(value));
        }

        return normalized;
    }

    /// <summary>Membership test for a value already normalised by <see cref="HParamValues.Normalize"/>.</summary>
    internal abstract bool ContainsNormalized(object value);

    /// <summary>Sets the type and domain of an experiment's <see cref="HParamInfo"/>.</summary>
    internal abstract void Describe(HParamInfo info);

    /// <summary>
    /// The domain an experiment's <see cref="HParamInfo"/> declares. TensorBoard keeps intervals as
    /// FLOAT64 without a scale, so an <see cref="IntInterval"/> or a log scale reads back as a plain
    /// <see cref="RealInterval"/>; what no domain type can hold (none, an empty or mixed list, bad
    /// bounds) reads as <see cref="Unspecified"/>. Stored numbers are all doubles: a list of whole
    /// numbers reads as integers, as <c>hp.Discrete([16, 32])</c> and <c>new Discrete(16, 32)</c> declare it.
    /// </summary>
    internal static Domain FromInfo(HParamInfo info)
    {
        try
        {
            return info.DomainCase switch
            {
                HParamInfo.DomainOneofCase.DomainInterval => new RealInterval(info.DomainInterval.MinValue, info.DomainInterval.MaxValue),
                HParamInfo.DomainOneofCase.DomainDiscrete => new Discrete([.. info.DomainDiscrete.Values.Select(HParamValues.FromProto).Select(WholeAsLong)]),
                _ => Unspecified,
            };
        }
        catch (ArgumentException)
        {
            return Unspecified; // a foreign writer's domain; the validator reports what is wrong with it
        }

        // Below 2^53 every whole double is exactly a long, so nothing is rounded.
        static object WholeAsLong(object value) =>
            value is double d && Math.Abs(d) < 9007199254740992d && d == Math.Floor(d) ? (long)d : value;
    }
}
