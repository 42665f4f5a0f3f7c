"""Prints TensorFlow's serialization of the tf.train.Example that TfExampleTest builds (run with $(.ci/python-env.sh);
needs tensorflow-cpu). deterministic=True writes map entries sorted by key, so the test adds doc_lengths first."""
import tensorflow as tf

example = tf.train.Example(features=tf.train.Features(feature={
    "input_ids": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 127, 128, 300, 70000, 2**31 - 1, -1, 2])),
    "doc_lengths": tf.train.Feature(int64_list=tf.train.Int64List(value=[5, 3])),
}))
print(example.SerializeToString(deterministic=True).hex())
