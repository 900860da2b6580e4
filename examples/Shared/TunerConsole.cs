using HParamsNet;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HParamsNet.Examples;

/// <summary>Runs a study with a progress bar (trials done, best so far, time left) and prints its results.</summary>
internal static class TunerConsole
{
    /// <summary>Runs <paramref name="objective"/> under <paramref name="options"/>, rendering the tuner's progress.</summary>
    public static async Task<StudyResult> RunAsync(TunerOptions options, Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, CancellationToken cancellationToken = default)
    {
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        StudyResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("trials", maxValue: 1);
                var progress = new SynchronousProgress<TunerProgress>(p =>
                {
                    task.MaxValue = p.Total ?? Math.Max(p.Finished + p.Running, 1);
                    task.Value = p.Finished;
                    task.Description = p.Best is { } best ? $"trials (best {best.Value:F4} at #{best.Number})" : "trials";
                });
                var tuner = new Tuner(options with { Logger = logging.CreateLogger<Tuner>(), Progress = progress });
                result = await tuner.RunAsync(objective, cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Prints the command that builds the HTML report of <paramref name="sources"/> (log directories or a storage URL), side by side when several, quoted for a POSIX shell.</summary>
    public static void PrintReportCommand(Objective objective, params string[] sources)
    {
        string[] shown = [.. sources.Select(s => s.Contains("://", StringComparison.Ordinal) ? s : Path.GetRelativePath(Environment.CurrentDirectory, s))];
        string metric = objective.Metric.Group.Length == 0 ? objective.Metric.Tag : $"{objective.Metric.Group}/{objective.Metric.Tag}";
        string output = shown.Length == 1 && !shown[0].Contains("://", StringComparison.Ordinal) ? $"{shown[0]}.html" : "report.html";
        Console.WriteLine($"Report (one HTML page with the plots): dotnet run -c Release --project src/HParamsNet.Cli -- report {string.Join(' ', shown.Select(ShellQuote))} --metric {ShellQuote(metric)} --{objective.Direction.ToString().ToLowerInvariant()} -o {ShellQuote(output)}");
    }

    /// <summary>A storage URL and a study's name as the <c>hparams</c> tool reads them: URL#NAME, the name's '%' and '#' percent-encoded.</summary>
    public static string StudySource(string url, string study) => $"{url}#{study.Replace("%", "%25", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal)}";

    // A word pasted into a shell stays one word and runs nothing: plain when it is only safe
    // characters, else in single quotes (a quote inside written '"'"').
    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:@=%+-,".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";

    /// <summary>Formats a configuration as scikit-learn prints params: {'a': 1, 'b': 'x'}.</summary>
    public static string Params(IReadOnlyDictionary<string, object> hparams, IEnumerable<HParam> order) =>
        "{" + string.Join(", ", order.Select(h => $"'{h.Name}': {Format(hparams[h.Name])}")) + "}";

    private static string Format(object value) => value switch
    {
        string s => $"'{s}'",
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => d.ToString("F1", System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    // Progress<T> posts to the thread pool; the bar wants the values now, in order.
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
