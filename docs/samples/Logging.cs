#region usings
using HParamsNet;            // HParam, Discrete, RealInterval, Metric, SessionStatus
using HParamsNet.Events;     // EventFileReader
using HParamsNet.Protos;     // Event, the TensorBoard message
using HParamsNet.Summaries;  // SummaryWriter
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The logging guide: TensorBoard's HParams API from your own loop.</summary>
public static class Logging
{
    public static void WriteByHand(string logDir = "logs/hparam_tuning")
    {
        #region write
        var units = new HParam("num_units", new Discrete(16, 32));
        var dropout = new HParam("dropout", new RealInterval(0.1, 0.2));
        var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
        var accuracy = new Metric("accuracy", displayName: "Accuracy");

        // The experiment: every hparam and metric, once, in the log directory's root run.
        using (var root = SummaryWriter.Create(logDir))
        {
            root.HParamsConfig([units, dropout, optimizer], [accuracy]);
        }

        // One run per trial: its hparams, its metrics by step, its end.
        using (var run = SummaryWriter.Create(Path.Combine(logDir, "run-0")))
        {
            run.HParams(new Dictionary<HParam, object> { [units] = 16, [dropout] = 0.1, [optimizer] = "adam" });
            for (int epoch = 1; epoch <= 3; epoch++)
            {
                run.Scalar("accuracy", 0.80 + 0.03 * epoch, step: epoch);
            }

            run.SessionEnd(SessionStatus.Success);
        }
        #endregion
    }

    public static void Read(string logDir = "logs/hparam_tuning")
    {
        #region read
        foreach (ScalarEvent point in EventFileReader.ReadRunScalars(Path.Combine(logDir, "run-0")))
        {
            Console.WriteLine($"{point.Tag} at step {point.Step}: {point.Value}");
        }

        foreach (Event e in EventFileReader.ReadRunEvents(logDir))
        {
            Console.WriteLine(e.Summary?.Value.FirstOrDefault()?.Tag); // the full message, as TensorBoard reads it
        }
        #endregion
    }
}
