#!/usr/bin/env bash
# Compiles dfl.models.mnist (it depends on DJL only) into training/build/classes without Maven,
# so the training run uses a frozen snapshot of the classes and does not depend on the rest of
# the module compiling. Writes the runtime classpath to training/build/classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
R=${M2_REPO:-$HOME/.m2/repository}
CP=$R/ai/djl/api/0.35.1/api-0.35.1.jar:$R/ai/djl/pytorch/pytorch-engine/0.35.1/pytorch-engine-0.35.1.jar
CP=$CP:$R/ai/djl/pytorch/pytorch-jni/2.7.1-0.35.1/pytorch-jni-2.7.1-0.35.1.jar
CP=$CP:$R/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar
CP=$CP:$R/com/google/code/gson/gson/2.13.1/gson-2.13.1.jar:$R/net/java/dev/jna/jna/5.17.0/jna-5.17.0.jar
CP=$CP:$R/org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar
CP=$CP:$R/commons-codec/commons-codec/1.17.1/commons-codec-1.17.1.jar:$R/commons-io/commons-io/2.16.1/commons-io-2.16.1.jar
CP=$CP:$R/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:$R/org/slf4j/slf4j-simple/2.0.16/slf4j-simple-2.0.16.jar
rm -rf training/build/classes && mkdir -p training/build/classes
javac --release 17 -Xlint:all,-serial,-processing -cp "$CP" -d training/build/classes models/src/main/java/dfl/models/mnist/*.java plan/src/main/java/dfl/plan/Schedule.java
echo "training/build/classes:$CP" > training/build/classpath
