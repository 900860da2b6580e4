namespace HParamsNet.TorchSharp.Models;

/// <summary>One hidden layer of a <see cref="ModelSpec"/>.</summary>
public abstract record LayerSpec
{
    private protected LayerSpec()
    {
    }
}

/// <summary>A fully connected layer followed by an activation (Keras' <c>Dense</c>).</summary>
/// <param name="Units">Output units.</param>
/// <param name="Activation">The activation.</param>
public sealed record DenseLayer(int Units, Activation Activation) : LayerSpec;

/// <summary>Dropout while training (Keras' <c>Dropout</c>).</summary>
/// <param name="Rate">The share of units dropped, in [0, 1).</param>
public sealed record DropoutLayer(double Rate) : LayerSpec;
