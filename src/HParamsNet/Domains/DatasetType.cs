namespace HParamsNet;

/// <summary>Which data a metric is measured on, as TensorBoard labels it.</summary>
public enum DatasetType
{
    /// <summary>Not said.</summary>
    Unknown = 0,

    /// <summary>The training data.</summary>
    Training = 1,

    /// <summary>Held-out validation data.</summary>
    Validation = 2,
}
