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

                foreach (StudySummary summary in studies)
                {
                    string dir = study is null && studies.Count > 1 ? Path.Combine(target, SafeName(summary.Name)) : target;
                    int trials;
                    try
                    {
                        trials = LogDirectoryRebuild.WriteAsync(opened, summary.Name, dir).GetAwaiter().GetResult();
                    }
                    catch (IOException e)
                    {
                        context.Error.WriteLine($"hparams: {e.Message}");
                        return LogDirArguments.BadInput;
                    }

                    context.Output.WriteLine($"Wrote study '{summary.Name}' ({trials} trials) to {dir}");
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

    // A study name as a directory name: what a file system refuses becomes '_'.
    private static string SafeName(string name) =>
        string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == '\\' ? '_' : c)) is { Length: > 0 } safe && safe != "." && safe != ".." ? safe : "_";
}
