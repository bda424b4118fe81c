using var interruption = new LogReg.Cli.Interruption(Console.Error);
return LogReg.Cli.CliApplication.Run(args, LogReg.Cli.CliEnvironment.FromProcess(), interruption.Token);
