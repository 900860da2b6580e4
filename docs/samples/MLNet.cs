#region usings
using HParamsNet.MLNet;
using Microsoft.ML;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The ML.NET guide.</summary>
public static class MLNetSample
{
    public static async Task<MLNetTuningResult> RunAsync(string csvPath, string logDir = "logs/cancer")
    {
        #region tune
        TabularData data = TabularData.ReadCsv(MLTask.BinaryClassification, File.OpenText(csvPath));
        (TabularData train, TabularData test) = data.Split(testFraction: 0.2, seed: 0);

        // The trainer (LightGBM, FastTree, FastForest, SDCA) is an hparam; its own hparams depend on it.
        MLNetTuningResult tuned = await MLNetTuner.TuneAsync(train, new MLNetTunerOptions { LogDir = logDir, MaxTrials = 60, Folds = 5 });

        var ml = new MLContext(seed: 0);
        IDataView testRows = test.ToDataView(ml);
        ml.Model.Save(tuned.Model, testRows.Schema, "model.zip");      // the best trial, refitted on all of train
        using (FileStream zip = File.Create("ensemble.zip"))
        {
            tuned.Ensemble?.Save(testRows.Schema, zip);                 // the ensemble selected from the trials
        }
        #endregion

        return tuned;
    }
}
