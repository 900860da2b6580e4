using System.CommandLine;
using HParamsNet.Sessions;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams validate LOGDIR</c>: what TensorBoard would show, and every problem; exit 1 when data would be hidden.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> logDir = LogDirArguments.One();
        var command = new Command("validate", "Check a log directory as TensorBoard would read it: corrupt or truncated records (file, offset), hparams missing from the experiment, values outside their domain, mixed types, metrics no session reports, several experiments. Exits 1 when a problem would hide data in TensorBoard.\n\nExamples:\n  hparams validate logs/hparam_tuning\n  hparams validate sqlite:///home/me/studies.db#digits")
        {
            logDir,
        };
        command.SetAction(parse =>
        {
            // A storage URL is validated as the log directory it writes (what `hparams rebuild` writes).
            using StudyInputs? inputs = StudyInputs.Open([parse.GetValue(logDir)!], context, oneStudy: true);
            if (inputs is null)
            {
                return LogDirArguments.BadInput;
            }

            string dir = inputs.Dirs[0];
            ValidationReport report = LogDirectoryValidator.Validate(dir);
            TextWriter output = context.Output;
            output.WriteLine($"{inputs.Label(dir)}: {report.Runs} runs, {report.Sessions} sessions in {report.Groups} groups");
            output.WriteLine($"  hparams: {string.Join(", ", report.HParams)}");
            output.WriteLine($"  metrics: {string.Join(", ", report.Metrics)}");
            foreach (ValidationProblem problem in report.Problems)
            {
                output.WriteLine($"{(problem.Severity == ValidationSeverity.Error ? "error" : "warning")}: {problem.Where}: {problem.Message}");
            }

            int errors = report.Problems.Count(p => p.Severity == ValidationSeverity.Error);
            output.WriteLine(errors == 0
                ? $"OK: TensorBoard shows everything ({report.Problems.Count} warnings)."
                : $"{errors} problems would hide data in TensorBoard ({report.Problems.Count - errors} warnings).");
            return errors == 0 ? 0 : 1;
        });
        return command;
    }
}
