namespace HParamsNet.TorchSharp.Training;

/// <summary>Hooks into <see cref="Models.TorchModel.Fit"/>, as Keras callbacks do.</summary>
public interface IFitCallback
{
    /// <summary>Before the first epoch.</summary>
    void OnTrainBegin();

    /// <summary>After each epoch, validation included.</summary>
    /// <param name="result">What the epoch measured.</param>
    void OnEpochEnd(EpochResult result);

    /// <summary>After the last epoch, or when training failed or was cancelled.</summary>
    /// <param name="status">Success, or Failure when an exception (cancellation included) ended training.</param>
    void OnTrainEnd(SessionStatus status);
}

/// <summary>A callback that also sees the model after each epoch (its weights, its predictions), as Keras gives callbacks <c>self.model</c>.</summary>
public interface IModelFitCallback : IFitCallback
{
    /// <summary>After each epoch, validation included; <see cref="Models.TorchModel.Fit"/> calls this instead of <see cref="IFitCallback.OnEpochEnd"/>.</summary>
    /// <param name="result">What the epoch measured.</param>
    /// <param name="model">The model being trained.</param>
    void OnEpochEnd(EpochResult result, Models.TorchModel model);
}
