namespace HParamsNet.TorchSharp.Models;

/// <summary>The activation after a dense layer.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu = 0,

    /// <summary>tanh(x).</summary>
    Tanh = 1,

    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid = 2,

    /// <summary>None: the identity.</summary>
    Linear = 3,
}
