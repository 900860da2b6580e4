// The hparams command-line tool: parsing and rendering here, the work in the HParamsNet library.
return HParamsNet.Cli.CliApp.Run(args, Console.Out, Console.Error);
