using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// The domain of an hparam declared without one, as TensorBoard's Python API allows
/// (<c>hp.HParam("name")</c>), or with one this library cannot represent (read from a foreign log
/// directory): every number, string and bool is in it, and no tuner can sample from it.
/// </summary>
internal sealed record UnspecifiedDomain : Domain
{
    public static UnspecifiedDomain Instance { get; } = new();

    private UnspecifiedDomain()
    {
    }

    public override Type ValueType => typeof(object);

    public override object SampleUniform(Random random) =>
        throw new InvalidOperationException("This hparam has no domain, so no value can be drawn from it. Declare it with Discrete, IntInterval or RealInterval to tune it.");

    public override string ToString() => "Unspecified";

    internal override bool ContainsNormalized(object value) => true;

    // TensorBoard's Python API writes neither a type nor a domain for such an hparam.
    internal override void Describe(HParamInfo info)
    {
    }
}
