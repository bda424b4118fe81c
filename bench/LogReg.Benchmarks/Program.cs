using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(LogReg.Benchmarks.BenchmarkData).Assembly).Run(args);
