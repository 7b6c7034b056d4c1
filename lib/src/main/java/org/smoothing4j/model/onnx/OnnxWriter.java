package org.smoothing4j.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes ONNX models (the protobuf messages of onnx.proto: ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto) for the few operators smoothing4j's networks need, without a protobuf library: a
 * message is a sequence of (field number, wire type) keys with varints or length-delimited bytes. Float tensors only,
 * stored as raw little-endian data; the model's input and output are float tensors with a dynamic batch dimension.
 */
public final class OnnxWriter {
    public static final int OPSET = 13;
    private static final int IR_VERSION = 7;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private int counter;

    /** A fresh value name. */
    public String name(String hint) {
        return hint + "_" + counter++;
    }

    /** Adds a float constant tensor; returns its name. */
    public String constant(String hint, long[] dims, float[] values) {
        String n = name(hint);
        Message t = new Message();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT);
        t.string(8, n);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        t.bytes(9, raw.array());
        initializers.add(t.toBytes());
        return n;
    }

    /** Adds an int64 constant tensor (e.g. a shape); returns its name. */
    public String constantLongs(String hint, long[] values) {
        String n = name(hint);
        Message t = new Message();
        t.varint(1, values.length);
        t.varint(2, INT64);
        t.string(8, n);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        t.bytes(9, raw.array());
        initializers.add(t.toBytes());
        return n;
    }

    /** An attribute of a node. */
    public record Attribute(String name, long[] ints, Long i, Float f) {
        public static Attribute ints(String name, long... v) {
            return new Attribute(name, v, null, null);
        }

        public static Attribute i(String name, long v) {
            return new Attribute(name, null, v, null);
        }

        public static Attribute f(String name, float v) {
            return new Attribute(name, null, null, v);
        }

        byte[] encode() {
            Message a = new Message();
            a.string(1, name);
            if (ints != null) {
                for (long v : ints) {
                    a.varint(8, v);
                }
                a.varint(20, 7); // INTS
            } else if (i != null) {
                a.varint(3, i);
                a.varint(20, 2); // INT
            } else {
                a.fixed32(2, Float.floatToIntBits(f));
                a.varint(20, 1); // FLOAT
            }
            return a.toBytes();
        }
    }

    /** Adds a node; returns the name of its (first) output. */
    public String node(String op, List<String> inputs, Attribute... attributes) {
        return node(op, inputs, name(op.toLowerCase(java.util.Locale.ROOT)), attributes);
    }

    /** Adds a node whose output has the given name (e.g. a graph output's); returns it. */
    public String node(String op, List<String> inputs, String out, Attribute... attributes) {
        Message n = new Message();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, out);
        n.string(3, out);
        n.string(4, op);
        for (Attribute a : attributes) {
            n.bytes(5, a.encode());
        }
        nodes.add(n.toBytes());
        return out;
    }

    /**
     * A graph input or output: a float tensor [batch (dynamic), dims...], or with {@code batched} false one of
     * exactly these dims (a parameter, its gradient, a scalar loss).
     */
    public record Value(String name, long[] dims, boolean batched) {
        public Value(String name, long... dims) {
            this(name, dims, true);
        }

        /** A tensor of fixed shape (no batch dimension). */
        public static Value fixed(String name, long... dims) {
            return new Value(name, dims, false);
        }
    }

    /** The model bytes: graph {@code input} [batch, inputDims...] to {@code output} [batch, outputDims...]. */
    public byte[] model(String graphName, String input, long[] inputDims, String output, long[] outputDims) {
        return model(graphName, List.of(new Value(input, inputDims)), List.of(new Value(output, outputDims)));
    }

    /** The model bytes of a graph with these inputs and outputs, in this order. */
    public byte[] model(String graphName, List<Value> inputs, List<Value> outputs) {
        Message g = new Message();
        for (byte[] n : nodes) {
            g.bytes(1, n);
        }
        g.string(2, graphName);
        for (byte[] t : initializers) {
            g.bytes(5, t);
        }
        for (Value v : inputs) {
            g.bytes(11, valueInfo(v));
        }
        for (Value v : outputs) {
            g.bytes(12, valueInfo(v));
        }
        Message m = new Message();
        m.varint(1, IR_VERSION);
        m.string(2, "smoothing4j");
        m.bytes(7, g.toBytes());
        Message opset = new Message();
        opset.string(1, "");
        opset.varint(2, OPSET);
        m.bytes(8, opset.toBytes());
        return m.toBytes();
    }

    /** A float tensor value [batch (dynamic), dims...] or [dims...]. */
    private static byte[] valueInfo(Value value) {
        String name = value.name();
        Message shape = new Message();
        if (value.batched()) {
            Message batch = new Message();
            batch.string(2, "batch");
            shape.bytes(1, batch.toBytes());
        }
        for (long d : value.dims()) {
            Message dim = new Message();
            dim.varint(1, d);
            shape.bytes(1, dim.toBytes());
        }
        Message tensor = new Message();
        tensor.varint(1, FLOAT);
        tensor.bytes(2, shape.toBytes());
        Message type = new Message();
        type.bytes(1, tensor.toBytes());
        Message v = new Message();
        v.string(1, name);
        v.bytes(2, type.toBytes());
        return v.toBytes();
    }

    /** A protobuf message being written. */
    static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            key(field, 0);
            raw(value);
        }

        void fixed32(int field, int bits) {
            key(field, 5);
            for (int i = 0; i < 4; i++) {
                out.write((bits >>> (8 * i)) & 0xff);
            }
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(int field, byte[] b) {
            key(field, 2);
            raw(b.length);
            out.write(b, 0, b.length);
        }

        private void key(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
