#region usings
using HParamsNet;
using HParamsNet.Trials;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Tuning;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The getting-started guide: tune a small network on the digits data set.</summary>
public static class GettingStarted
{
    public static async Task<StudyResult> RunAsync(string logDir = "logs/getting_started", int trials = 12, int epochs = 10)
    {
        #region tune
        // The search space: what TensorBoard's HParams dashboard will show as columns.
        var units = new HParam("num_units", new Discrete(16, 32, 64));
        var dropout = new HParam("dropout", new RealInterval(0.0, 0.3));
        var learningRate = new HParam("learning_rate", new RealInterval(1e-4, 1e-1) { Log = true });
        var accuracy = new Metric("accuracy");

        // Digits: 8x8 images of handwritten digits, 10 classes; standardised on the training rows.
        (TabularDataset train, TabularDataset test) = Datasets.LoadDigits().StratifiedSplit(testFraction: 0.2, seed: 0);
        var scaler = Standardizer.Fit(train);
        (train, test) = (scaler.Transform(train), scaler.Transform(test));

        var options = new TunerOptions
        {
            LogDir = logDir,                       // a TensorBoard log directory: one session per trial
            Space = [units, dropout, learningRate],
            Objective = new Objective(accuracy, StudyDirection.Maximize),
            MaxTrials = trials,                    // the default strategy is Bayesian (a Gaussian process)
        };

        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            ModelSpec spec = ModelSpec.Sequential()
                .Dense(trial.Get<int>(units), Activation.Relu)
                .Dropout(trial.Get<double>(dropout))
                .Output(ModelTask.MultiClass(10))
                .Compile("adam", trial.Get<double>(learningRate));
            using TorchModel model = TorchModel.Build(spec, train.Columns, seed: 0);
            var fit = new FitOptions { Epochs = epochs, BatchSize = 32, Seed = 0, Callbacks = [new TensorBoardCallback(trial.RunDirectory)] };
            model.Fit(train, fit);
            return model.Evaluate(test).Metric;    // the trial's accuracy
        });

        Console.WriteLine($"Best accuracy {result.BestScore:F4} with {string.Join(", ", result.BestParams)}");
        #endregion
        return result;
    }
}
