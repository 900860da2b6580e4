#region usings
using HParamsNet;
using HParamsNet.Storage;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The storages guide: the tuner on a shared study.</summary>
public static class Storages
{
    public static async Task<StudyResult> RunAsync(string url = "sqlite:///tmp/studies.db", string logDir = "logs/shared")
    {
        var x = new HParam("x", new RealInterval(-5, 10));
        var y = new HParam("y", new RealInterval(0, 15));

        #region tuner
        // sqlite:///absolute/path.db, or postgresql://user@host:5432/database?schema=name (the password
        // from PGPASSWORD or ~/.pgpass, never in the URL).
        await using IStudyStorage storage = await StudyStorageUrl.Parse(url).OpenAsync();
        var options = new TunerOptions
        {
            LogDir = logDir,                 // every worker writes its trials' sessions here
            Storage = storage,
            StudyName = "branin",
            Space = [x, y],
            Objective = new Objective(new Metric("value"), StudyDirection.Minimize),
            MaxTrials = 50,                  // counted across every worker, exactly
        };

        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            double a = trial.Get<double>(x), b = trial.Get<double>(y);
            return Math.Pow(b - 5.1 / (4 * Math.PI * Math.PI) * a * a + 5 / Math.PI * a - 6, 2) + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(a) + 10;
        });
        #endregion

        return result;
    }
}
