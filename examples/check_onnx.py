"""Checks a model written by `logreg export MODEL --onnx model.onnx` with the ONNX package's full checker.

Usage: python3 check_onnx.py model.onnx
Prints the opset, the inputs and outputs with their shapes and the metadata keys; exits non-zero when the checker
rejects the model.
"""
import sys

import onnx

model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)  # full_check also runs shape inference
print("check_model(full_check=True): ok")
print("ir_version", model.ir_version, "opset", ", ".join(str(o.version) for o in model.opset_import))


def shape(value):
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


for kind, values in (("input", model.graph.input), ("output", model.graph.output)):
    for value in values:
        print(kind, value.name, onnx.TensorProto.DataType.Name(value.type.tensor_type.elem_type), shape(value))
print("nodes", " ".join(node.op_type for node in model.graph.node))
print("metadata", " ".join(p.key for p in model.metadata_props))
