return LogReg.Cli.CliApplication.Run(args, LogReg.Cli.CliEnvironment.FromProcess());
