using LogReg.Common;

namespace LogReg.Tests.Reporting;

public sealed class Crc32Tests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value_and_appends()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(Crc32.Compute("123456789"u8), Crc32.Append(Crc32.Compute("1234"u8), "56789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }
}
