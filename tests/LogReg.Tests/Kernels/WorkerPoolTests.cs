using LogReg.Kernels;

namespace LogReg.Tests.Kernels;

public sealed class WorkerPoolTests
{
    [Theory]
    [InlineData(1, 5, true)]
    [InlineData(2, 1, true)]
    [InlineData(2, 2, true)]
    [InlineData(3, 7, true)]
    [InlineData(4, 32, false)]
    public void The_second_phase_runs_once_per_worker_after_every_item_has_finished(int threads, int items, bool fixedAssignment)
    {
        using var pool = new WorkerPool(threads);
        for (var round = 0; round < 50; round++)
        {
            var done = new int[items];
            var seen = new List<(int Worker, int Workers, int Finished)>();
            pool.Run(
                items,
                (item, _) =>
                {
                    Thread.SpinWait(item * 50);
                    Volatile.Write(ref done[item], 1);
                },
                fixedAssignment,
                (worker, workers) =>
                {
                    var finished = done.Count(d => Volatile.Read(ref d) == 1);
                    lock (seen)
                    {
                        seen.Add((worker, workers, finished));
                    }
                });

            var expectedWorkers = threads == 1 || items == 1 ? 1 : threads;
            Assert.Equal(Enumerable.Range(0, expectedWorkers), seen.Select(s => s.Worker).Order());
            Assert.All(seen, s => Assert.Equal(expectedWorkers, s.Workers));
            Assert.All(seen, s => Assert.Equal(items, s.Finished));
        }
    }

    [Fact]
    public void A_failing_item_skips_the_second_phase_and_is_rethrown_without_hanging()
    {
        using var pool = new WorkerPool(2);
        var secondPhase = 0;
        var failure = Assert.Throws<InvalidOperationException>(() => pool.Run(
            4,
            (item, _) =>
            {
                if (item == 1)
                {
                    throw new InvalidOperationException("item 1 failed");
                }
            },
            fixedAssignment: true,
            (_, _) => Interlocked.Increment(ref secondPhase)));

        Assert.Equal("item 1 failed", failure.Message);
        Assert.Equal(0, secondPhase);

        // The pool still works afterwards.
        var ran = 0;
        pool.Run(4, (_, _) => Interlocked.Increment(ref ran), fixedAssignment: true, (_, _) => Interlocked.Increment(ref secondPhase));
        Assert.Equal(4, ran);
        Assert.Equal(2, secondPhase);
    }
}
