using HParamsNet.Events;
using HParamsNet.Storage;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Cli.Commands;

/// <summary>
/// What the commands read: log directories as given, and studies in a storage
/// (<c>sqlite:///path.db</c>, <c>postgresql://...</c>, with <c>#study</c> to name one), each
/// written to a scratch log directory first (what <c>hparams rebuild</c> writes), so that every
/// command reads one kind of input. Shown by their URL; the scratch is deleted on dispose.
/// </summary>
internal sealed class StudyInputs : IDisposable
{
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<RunDirectory>> _runs = new(StringComparer.Ordinal);
    private string? _scratch;

    private StudyInputs()
    {
    }

    /// <summary>The log directories to read, in the order given.</summary>
    public List<string> Dirs { get; } = [];

    /// <summary>The runs of a directory of <see cref="Dirs"/>: those found when it was checked, so a large one is walked once.</summary>
    public IReadOnlyList<RunDirectory> RunsOf(string dir) => _runs.TryGetValue(dir, out IReadOnlyList<RunDirectory>? runs) ? runs : LogDirectory.FindRuns(dir);

    /// <summary>How to show a directory of <see cref="Dirs"/>: its study's URL, or itself.</summary>
    public string Label(string dir) => _labels.GetValueOrDefault(dir, dir);

    /// <summary>Reads the arguments; null (with a message written) when one is wrong.</summary>
    /// <param name="args">Log directories and storage URLs.</param>
    /// <param name="context">Where messages go.</param>
    /// <param name="oneStudy">Whether a storage must name one study (a command that reads one input).</param>
    /// <exception cref="IOException">A storage cannot be reached; the message names it.</exception>
    public static StudyInputs? Open(IReadOnlyList<string> args, CliContext context, bool oneStudy = false)
    {
        var inputs = new StudyInputs();
        try
        {
            foreach (string arg in args)
            {
                if (!StudyStorageUrl.Looks(arg))
                {
                    if (LogDirArguments.Check(arg, context.Error) is not { } scan)
                    {
                        inputs.Dispose();
                        return null;
                    }

                    inputs.Dirs.Add(arg);
                    inputs._runs[arg] = scan.Runs;
                }
                else if (!inputs.AddStorage(arg, context, oneStudy))
                {
                    inputs.Dispose();
                    return null;
                }
            }

            return inputs;
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Splits <c>URL#study</c> at the first '#' (a URL has none of its own: a password's is written
    /// %23), the study percent-decoded, so that any name can be given (<c>#a%23b</c> or <c>#a#b</c>
    /// for <c>a#b</c>); the study is null without a fragment.
    /// </summary>
    public static (string Url, string? Study) Split(string arg)
    {
        int hash = arg.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? (arg, null) : (arg[..hash], Uri.UnescapeDataString(arg[(hash + 1)..]));
    }

    /// <summary>The studies a storage argument names (all of them without <c>#study</c>); null with a message when wrong.</summary>
    public static IReadOnlyList<StudySummary>? Studies(IStudyStorage storage, StudyStorageUrl url, string? study, CliContext context)
    {
        IReadOnlyList<StudySummary> all = storage.GetStudiesAsync().AsTask().GetAwaiter().GetResult();
        if (all.Count == 0)
        {
            context.Error.WriteLine($"hparams: {url} holds no study.");
            return null;
        }

        if (study is null)
        {
            return all;
        }

        StudySummary? named = all.FirstOrDefault(s => s.Name == study);
        if (named is null)
        {
            context.Error.WriteLine($"hparams: {url} has no study '{study}'; studies: {string.Join(", ", all.Select(s => s.Name))}.");
            return null;
        }

        return [named];
    }

    /// <summary>Opens a storage that exists; null, with the message written, when it cannot be.</summary>
    public static IStudyStorage? OpenStorage(StudyStorageUrl url, CliContext context)
    {
        try
        {
            return url.OpenExistingAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
        {
            // No such file, no server, no tables, a newer schema, a bad schema name: the message says which.
            context.Error.WriteLine($"hparams: {e.Message}");
            return null;
        }
    }

    public void Dispose()
    {
        if (_scratch is not null && Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    private bool AddStorage(string arg, CliContext context, bool oneStudy)
    {
        (string text, string? study) = Split(arg);
        StudyStorageUrl url;
        try
        {
            url = StudyStorageUrl.Parse(text);
        }
        catch (ArgumentException e)
        {
            context.Error.WriteLine($"hparams: {e.Message}");
            return false;
        }

        if (OpenStorage(url, context) is not { } storage)
        {
            return false;
        }

        try
        {
            if (Studies(storage, url, study, context) is not { } studies)
            {
                return false;
            }

            if (oneStudy && studies.Count > 1)
            {
                context.Error.WriteLine($"hparams: {url} holds {studies.Count} studies; name one as {url}#NAME ({string.Join(", ", studies.Select(s => s.Name))}).");
                return false;
            }

            _scratch ??= Directory.CreateTempSubdirectory("hparams-").FullName;
            foreach (StudySummary summary in studies)
            {
                string dir = Path.Combine(_scratch, Guid.NewGuid().ToString("N"));
                LogDirectoryRebuild.WriteAsync(storage, summary.Name, dir).GetAwaiter().GetResult();
                Dirs.Add(dir);
                _labels[dir] = $"{url}#{summary.Name}";
            }

            return true;
        }
        finally
        {
            storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
