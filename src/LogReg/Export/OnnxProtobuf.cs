using System.Buffers.Binary;
using Google.Protobuf;

namespace LogReg.Export;

/// <summary>
/// The few ONNX protobuf messages an exported model needs, encoded field by field with Google.Protobuf's wire writer.
/// The field numbers are those of the ONNX specification (onnx/onnx.proto, IR version 8); no schema is compiled or kept
/// in this repository. onnx.proto is a proto2 file, so repeated numbers are written unpacked, one tag per element, as
/// the reference serializer does (every protobuf parser accepts both forms).
/// </summary>
internal static class OnnxProtobuf
{
    /// <summary>TensorProto.DataType values used here.</summary>
    public const int Float = 1;
    public const int Uint8 = 2;
    public const int Int64 = 7;
    public const int Double = 11;

    /// <summary>AttributeProto.AttributeType values used here.</summary>
    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    /// <summary>ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8, metadata_props 14.</summary>
    public static byte[] Model(long irVersion, long opset, string producer, string producerVersion, string docString, Message graph, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var model = new Message()
            .Int64(1, irVersion)
            .String(2, producer)
            .String(3, producerVersion)
            .String(6, docString)
            .Child(7, graph)
            // OperatorSetIdProto: domain 1 (empty: the default ai.onnx domain), version 2.
            .Child(8, new Message().String(1, "").Int64(2, opset));
        foreach (var (key, value) in metadata)
        {
            // StringStringEntryProto: key 1, value 2.
            model.Child(14, new Message().String(1, key).String(2, value));
        }

        return model.ToArray();
    }

    /// <summary>GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12.</summary>
    public static Message Graph(string name, IEnumerable<Message> nodes, IEnumerable<Message> initializers, IEnumerable<Message> inputs, IEnumerable<Message> outputs)
    {
        var graph = new Message();
        foreach (var node in nodes)
        {
            graph.Child(1, node);
        }

        graph.String(2, name);
        foreach (var tensor in initializers)
        {
            graph.Child(5, tensor);
        }

        foreach (var input in inputs)
        {
            graph.Child(11, input);
        }

        foreach (var output in outputs)
        {
            graph.Child(12, output);
        }

        return graph;
    }

    /// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.</summary>
    public static Message Node(string opType, string name, string[] inputs, string[] outputs, params Message[] attributes)
    {
        var node = new Message();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in outputs)
        {
            node.String(2, output);
        }

        node.String(3, name).String(4, opType);
        foreach (var attribute in attributes)
        {
            node.Child(5, attribute);
        }

        return node;
    }

    /// <summary>AttributeProto with an int: name 1, i 3, type 20.</summary>
    public static Message IntAttribute(string name, long value) =>
        new Message().String(1, name).Int64(3, value).Int64(20, AttributeInt);

    /// <summary>AttributeProto with a float: name 1, f 2, type 20.</summary>
    public static Message FloatAttribute(string name, float value) =>
        new Message().String(1, name).Float(2, value).Int64(20, AttributeFloat);

    /// <summary>AttributeProto with a list of ints: name 1, ints 8, type 20.</summary>
    public static Message IntsAttribute(string name, params long[] values)
    {
        var attribute = new Message().String(1, name);
        foreach (var v in values)
        {
            attribute.Int64(8, v);
        }

        return attribute.Int64(20, AttributeInts);
    }

    /// <summary>A float TensorProto (dims 1, data_type 2, name 8, raw_data 9): raw_data is little-endian whatever the machine.</summary>
    public static Message FloatTensor(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        return Tensor(name, dims, Float, raw);
    }

    /// <summary>An int64 TensorProto, little-endian raw_data.</summary>
    public static Message Int64Tensor(string name, long[] dims, ReadOnlySpan<long> values)
    {
        var raw = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        }

        return Tensor(name, dims, Int64, raw);
    }

    /// <summary>
    /// ValueInfoProto (name 1, type 2) of a tensor: TypeProto.tensor_type 1 → Tensor (elem_type 1, shape 2) →
    /// TensorShapeProto (dim 1) → Dimension (dim_value 1 or dim_param 2). A null dimension is the symbolic batch size N.
    /// </summary>
    public static Message TensorValueInfo(string name, int elementType, params long?[] dims)
    {
        var shape = new Message();
        foreach (var dim in dims)
        {
            shape.Child(1, dim is { } size ? new Message().Int64(1, size) : new Message().String(2, "N"));
        }

        var tensorType = new Message().Int64(1, elementType).Child(2, shape);
        return new Message().String(1, name).Child(2, new Message().Child(1, tensorType));
    }

    private static Message Tensor(string name, long[] dims, int dataType, byte[] raw)
    {
        var tensor = new Message();
        foreach (var dim in dims)
        {
            tensor.Int64(1, dim);
        }

        return tensor.Int64(2, dataType).String(8, name).Bytes(9, raw);
    }

    /// <summary>
    /// One protobuf message: its fields, in order, as writes to replay. Nested messages are encoded first and embedded
    /// as length-delimited bytes: the models are small (a few hundred kilobytes), so the copies cost nothing worth a
    /// two-pass size computation.
    /// </summary>
    public sealed class Message
    {
        private readonly List<Action<CodedOutputStream>> _fields = [];

        public Message Int64(int field, long value) => Field(field, WireFormat.WireType.Varint, o => o.WriteInt64(value));

        public Message Float(int field, float value) => Field(field, WireFormat.WireType.Fixed32, o => o.WriteFloat(value));

        public Message String(int field, string value) => Field(field, WireFormat.WireType.LengthDelimited, o => o.WriteString(value));

        public Message Bytes(int field, byte[] value)
        {
            var bytes = ByteString.CopyFrom(value);
            return Field(field, WireFormat.WireType.LengthDelimited, o => o.WriteBytes(bytes));
        }

        public Message Child(int field, Message value)
        {
            ArgumentNullException.ThrowIfNull(value);
            return Bytes(field, value.ToArray());
        }

        public byte[] ToArray()
        {
            using var buffer = new MemoryStream();
            using (var output = new CodedOutputStream(buffer, leaveOpen: true))
            {
                foreach (var write in _fields)
                {
                    write(output);
                }
            }

            return buffer.ToArray();
        }

        private Message Field(int field, WireFormat.WireType type, Action<CodedOutputStream> writeValue)
        {
            _fields.Add(o =>
            {
                o.WriteTag(field, type);
                writeValue(o);
            });
            return this;
        }
    }
}
