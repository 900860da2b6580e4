using System.CommandLine;
using HParamsNet.Sessions;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams validate LOGDIR</c>: what TensorBoard would show, and every problem; exit 1 when data would be hidden.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> logDir = LogDirArguments.One();
        var command = new Command("validate", "Check a log directory as TensorBoard would read it: corrupt or truncated records (file, offset), hparams missing from the experiment, values outside their domain, mixed types, metrics no session reports, several experiments. Exits 1 when a problem would hide data in TensorBoard.\n\nExample:\n  hparams validate logs/hparam_tuning")
        {
            logDir,
        };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(logDir)!;
            if (!LogDirArguments.Check([dir], context.Error))
            {
                return LogDirArguments.BadInput;
            }

            ValidationReport report = LogDirectoryValidator.Validate(dir);
            TextWriter output = context.Output;
            output.WriteLine($"{dir}: {report.Runs} runs, {report.Sessions} sessions in {report.Groups} groups");
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
