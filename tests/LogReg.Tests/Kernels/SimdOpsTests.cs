using System.Runtime.Intrinsics;
using LogReg.Kernels;

namespace LogReg.Tests.Kernels;

/// <summary>The 128-bit operations lane by lane against plain arithmetic, including the paths this machine never picks.</summary>
public sealed unsafe class SimdOpsTests
{
    [Fact]
    public void Both_ways_of_widening_bytes_give_every_value_0_to_255_in_order()
    {
        var bytes = new byte[260];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7 % 256);
        }

        fixed (byte* source = bytes)
        {
            for (var i = 0; i + 4 <= bytes.Length; i++)
            {
                var portable = Ops128.LoadBytesPortable(source + i);
                var chosen = Ops128.LoadBytes(source + i);
                for (var lane = 0; lane < 4; lane++)
                {
                    Assert.Equal(bytes[i + lane], portable.GetElement(lane));
                    Assert.Equal(bytes[i + lane], chosen.GetElement(lane));
                }
            }
        }
    }

    [Fact]
    public void Scaled_bytes_multiply_add_and_sum_match_plain_arithmetic()
    {
        var bytes = new byte[] { 0, 17, 128, 255 };
        var offset = new[] { 0.5f, -1f, 100f, 3f };
        var scale = new[] { 2f, 0.25f, -1f, 1f / 255 };
        fixed (byte* source = bytes)
        fixed (float* o = offset, s = scale)
        {
            var scaled = Ops128.ScaleBytes(source, o, s);
            var fused = Ops128.MultiplyAdd(scaled, Ops128.Broadcast(3f), Ops128.Broadcast(1f));
            for (var lane = 0; lane < 4; lane++)
            {
                var expected = (bytes[lane] - offset[lane]) * scale[lane];
                Assert.Equal(expected, scaled.GetElement(lane));
                Assert.Equal(MathF.FusedMultiplyAdd(expected, 3f, 1f), fused.GetElement(lane), 5);
            }

            Assert.Equal((scaled.GetElement(0) + scaled.GetElement(2)) + (scaled.GetElement(1) + scaled.GetElement(3)), Ops128.Sum(scaled));
        }
    }
}
