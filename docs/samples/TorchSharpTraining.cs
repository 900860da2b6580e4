#region usings
using HParamsNet;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The TorchSharp guide: one model, Keras style.</summary>
public static class TorchSharpTraining
{
    public static double Run(string runDir = "logs/run-0")
    {
        var units = new HParam("num_units", new Discrete(16, 32));
        var dropout = new HParam("dropout", new RealInterval(0.1, 0.2));

        #region fit
        (TabularDataset train, TabularDataset test) = Datasets.LoadDigits().StratifiedSplit(testFraction: 0.2, seed: 0);
        var scaler = Standardizer.Fit(train);
        ModelSpec spec = ModelSpec.Sequential()
            .Dense(32, "relu").Dropout(0.1)
            .Output(ModelTask.MultiClass(10))
            .Compile("adam", learningRate: 1e-3);
        using TorchModel model = TorchModel.Build(spec, inputs: 64, seed: 0);
        var hparams = new Dictionary<HParam, object> { [units] = 32, [dropout] = 0.1 };   // this run's values

        model.Fit(scaler.Transform(train), new FitOptions
        {
            Epochs = 20, BatchSize = 32, ValidationSplit = 0.1, Seed = 0,
            // Keras' TensorBoard callback (train/ and validation/ curves, weight histograms) and hp.KerasCallback.
            Callbacks = [new TensorBoardCallback(runDir) { HistogramFrequency = 1 }, new HParamsCallback(runDir, hparams)],
        });
        double accuracy = model.Evaluate(scaler.Transform(test)).Metric;
        #endregion

        return accuracy;
    }
}
