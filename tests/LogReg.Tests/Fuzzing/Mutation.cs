using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace LogReg.Tests.Fuzzing;

/// <summary>
/// One byte-level edit of a valid file. Positions are drawn against the valid file's length and clamped to the current
/// length when applied, so a chain of edits (one shortening the file before the next) stays an edit of real bytes.
/// Each kind prints itself for the failure report: a failing case must be readable without a debugger.
/// </summary>
public abstract record Mutation
{
    public abstract byte[] ApplyTo(byte[] bytes);

    /// <summary>Applies <paramref name="mutations"/> in order to a copy of <paramref name="valid"/>.</summary>
    public static byte[] ApplyAll(byte[] valid, IEnumerable<Mutation> mutations) =>
        mutations.Aggregate((byte[])valid.Clone(), (bytes, mutation) => mutation.ApplyTo(bytes));

    public static string Describe(IEnumerable<Mutation> mutations) => string.Join("; ", mutations);

    /// <summary>One to four edits of a file of <paramref name="length"/> bytes; shrinking drops edits one at a time.</summary>
    public static Arbitrary<Mutation[]> Arbitrary(int length)
    {
        var count = Gen.Frequency((4, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Choose(3, 4)));
        var mutations = count.SelectMany(n => Gen.ArrayOf(Generator(length), n));
        return Arb.From(mutations, DropOne);
    }

    private static IEnumerable<Mutation[]> DropOne(Mutation[] mutations) =>
        mutations.Length <= 1 ? [] : Enumerable.Range(0, mutations.Length).Select(skip => mutations.Where((_, i) => i != skip).ToArray());

    private static Gen<Mutation> Generator(int length)
    {
        var position = Gen.Choose(0, length);
        var flip = Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, length * 8 - 1), n)).Select(Mutation (bits) => new FlipBits(bits));
        var truncate = position.Select(Mutation (at) => new Truncate(at));
        var insert = position.SelectMany(at => ByteRuns().Select(Mutation (bytes) => new Insert(at, bytes)));
        var overwrite = position.SelectMany(at => ByteRuns().Select(Mutation (bytes) => new Overwrite(at, bytes)));
        var duplicate =
            from start in position
            from count in Gen.Choose(1, Math.Max(1, length / 2))
            from at in position
            select (Mutation)new Duplicate(start, count, at);
        return Gen.OneOf(flip, truncate, insert, overwrite, duplicate);
    }

    /// <summary>
    /// Mostly random bytes, sometimes a run of one byte that parsers care about: 00/FF runs make huge or zero sizes in
    /// binary headers, digits and separators make long numbers and extra cells in text.
    /// </summary>
    private static Gen<byte[]> ByteRuns()
    {
        var random = Gen.Choose(0, 255).Select(b => (byte)b);
        byte[] special = [0x00, 0xFF, 0x7F, 0x80, 0x1F, 0x8B, (byte)'0', (byte)'9', (byte)',', (byte)'\n', (byte)'"', (byte)'-', (byte)'.', (byte)'e', (byte)'[', (byte)'{', (byte)'}', (byte)':'];
        var run =
            from b in Gen.Elements(special)
            from n in Gen.Choose(1, 12)
            select Enumerable.Repeat(b, n).ToArray();
        return Gen.Frequency(
            (4, Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(random, n))),
            (1, run));
    }

    private static string Hex(byte[] bytes) =>
        bytes.Length <= 24 ? Convert.ToHexString(bytes) : Convert.ToHexString(bytes, 0, 24) + "...";

    private static int Clamp(int position, byte[] bytes) => Math.Min(position, bytes.Length);

    /// <summary>Flips the given bits (bit i is bit i % 8 of byte i / 8, wrapped to the current length).</summary>
    public sealed record FlipBits(int[] Bits) : Mutation
    {
        public override byte[] ApplyTo(byte[] bytes)
        {
            if (bytes.Length == 0)
            {
                return bytes;
            }

            var result = (byte[])bytes.Clone();
            foreach (var bit in Bits)
            {
                var wrapped = bit % (result.Length * 8);
                result[wrapped / 8] ^= (byte)(1 << (wrapped % 8));
            }

            return result;
        }

        public override string ToString() => "flip bits " + string.Join(",", Bits.Select(b => b.ToString(CultureInfo.InvariantCulture)));
    }

    public sealed record Truncate(int Length) : Mutation
    {
        public override byte[] ApplyTo(byte[] bytes) => bytes[..Clamp(Length, bytes)];

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"truncate to {Length} bytes");
    }

    public sealed record Insert(int Position, byte[] Bytes) : Mutation
    {
        public override byte[] ApplyTo(byte[] bytes)
        {
            var at = Clamp(Position, bytes);
            return [.. bytes.AsSpan(0, at), .. Bytes, .. bytes.AsSpan(at)];
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"insert {Hex(Bytes)} at {Position}");
    }

    /// <summary>Overwrites bytes from <see cref="Position"/> on; never extends the file.</summary>
    public sealed record Overwrite(int Position, byte[] Bytes) : Mutation
    {
        public override byte[] ApplyTo(byte[] bytes)
        {
            var result = (byte[])bytes.Clone();
            var at = Clamp(Position, bytes);
            var count = Math.Min(Bytes.Length, result.Length - at);
            Bytes.AsSpan(0, count).CopyTo(result.AsSpan(at));
            return result;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"overwrite at {Position} with {Hex(Bytes)}");
    }

    /// <summary>Copies <see cref="Count"/> bytes from <see cref="Start"/> and inserts the copy at <see cref="Position"/>.</summary>
    public sealed record Duplicate(int Start, int Count, int Position) : Mutation
    {
        public override byte[] ApplyTo(byte[] bytes)
        {
            var start = Clamp(Start, bytes);
            var range = bytes.AsSpan(start, Math.Min(Count, bytes.Length - start)).ToArray();
            var at = Clamp(Position, bytes);
            return [.. bytes.AsSpan(0, at), .. range, .. bytes.AsSpan(at)];
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"duplicate {Count} bytes from {Start} at {Position}");
    }
}
