// The hparams command-line tool: parsing and rendering here, the work in the HParamsNet library.
// Output into a file or pipe is buffered (Console.Out makes a system call per line: a comparison of
// 10,000 rows was 10,000 writes) and flushed before the process ends, also after a failure; a
// terminal gets each line as it is written.
if (!Console.IsOutputRedirected)
{
    return HParamsNet.Cli.CliApp.Run(args, Console.Out, Console.Error);
}

using var output = new StreamWriter(Console.OpenStandardOutput(), Console.OutputEncoding, bufferSize: 64 * 1024);
try
{
    return HParamsNet.Cli.CliApp.Run(args, output, Console.Error);
}
finally
{
    output.Flush();
}
