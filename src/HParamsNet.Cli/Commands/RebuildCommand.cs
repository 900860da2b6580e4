using System.CommandLine;
using HParamsNet.Storage;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams rebuild URL[#study] -o DIR</c>: a study's TensorBoard log directory, written from its storage.</summary>
internal static class RebuildCommand
{
    public static Command Create(CliContext context)
    {
        var storage = new Argument<string>("STORAGE") { Description = "A study storage: sqlite:///path/study.db or postgresql://user:password@host:5432/database, with #NAME for one study." };
        var output = new Option<string>("--output", "-o") { Description = "A new or empty directory: the study's log directory, or with several studies one directory per study below it.", Required = true };
        var command = new Command("rebuild", "Write a complete TensorBoard log directory from a study storage: the experiment and a session per trial with its configuration, values and status.\n\nExamples:\n  hparams rebuild sqlite:///home/me/studies.db#digits -o logs/digits\n  hparams rebuild postgresql://me@db:5432/studies -o logs/all")
        {
            storage,
            output,
        };
        command.SetAction(parse =>
        {
            (string text, string? study) = StudyInputs.Split(parse.GetValue(storage)!);
            StudyStorageUrl url;
            try
            {
                url = StudyStorageUrl.Parse(text);
            }
            catch (ArgumentException e)
            {
                context.Error.WriteLine($"hparams: {e.Message}");
                return LogDirArguments.BadInput;
            }

            string target = Path.GetFullPath(parse.GetValue(output)!);
            if (StudyInputs.OpenStorage(url, context) is not { } opened)
            {
                return LogDirArguments.BadInput;
            }

            try
            {
                if (StudyInputs.Studies(opened, url, study, context) is not { } studies)
                {
                    return LogDirArguments.BadInput;
                }

                // Every study is written, each in a directory of its own, whatever its name; one that
                // fails is said and the others are still written.
                var used = new HashSet<string>(StringComparer.Ordinal);
                int failed = 0;
                foreach (StudySummary summary in studies)
                {
                    string dir = study is null && studies.Count > 1 ? Path.Combine(target, UniqueName(SafeName(summary.Name), used)) : target;
                    int trials;
                    try
                    {
                        trials = LogDirectoryRebuild.WriteAsync(opened, summary.Name, dir).GetAwaiter().GetResult();
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        context.Error.WriteLine(studies.Count > 1 ? $"hparams: study '{summary.Name}': {e.Message}" : $"hparams: {e.Message}");
                        failed++;
                        continue;
                    }

                    context.Output.WriteLine($"Wrote study '{summary.Name}' ({trials} trials) to {dir}");
                }

                if (failed > 0)
                {
                    if (studies.Count > 1)
                    {
                        context.Error.WriteLine($"hparams: {failed} of {studies.Count} studies were not written (above); the others were.");
                    }

                    return LogDirArguments.BadInput;
                }

                return 0;
            }
            finally
            {
                opened.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        return command;
    }

    // A study name as a directory name: what a file system refuses becomes '_', and a name no
    // file system takes (too long) is cut, so that every study can be written.
    private static string SafeName(string name)
    {
        string safe = string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == '\\' || char.IsControl(c) ? '_' : c));
        safe = safe.Length > 100 ? safe[..100] : safe;
        return safe.Length > 0 && safe != "." && safe != ".." ? safe : "_";
    }

    // Two names that become the same directory name get -2, -3, ...
    private static string UniqueName(string name, HashSet<string> used)
    {
        string unique = name;
        for (int n = 2; !used.Add(unique); n++)
        {
            unique = $"{name}-{n}";
        }

        return unique;
    }
}
