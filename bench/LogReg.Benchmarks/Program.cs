using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "epoch-parts")
{
    return LogReg.Benchmarks.EpochParts.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "kernel-cpu")
{
    return LogReg.Benchmarks.KernelCpu.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "serve-roundtrip")
{
    return LogReg.Benchmarks.ServeRoundTrip.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(LogReg.Benchmarks.BenchmarkData).Assembly).Run(args);
return 0;
