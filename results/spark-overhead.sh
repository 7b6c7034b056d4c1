#!/usr/bin/env bash
# Spark's overhead per example on this machine: the same certify run (200 Fashion-MNIST test images, every 50th,
# CERTIFY n0 = 100, n = 10,000, so 2,020,000 samples in all) through bin/smoothing4j, bin/smoothing4j-spark on
# local[1] and local[2], and on a standalone cluster (a master and two 1-core workers on 127.0.0.1, started from the
# build's jars and stopped at the end), alternating, ROUNDS times. Prints one line per run: wall time, samples/s.
#   results/spark-overhead.sh MODEL.zip [ROUNDS]        (ROUNDS default 2; results in the README's Spark section)
set -euo pipefail
model=$(realpath "$1"); rounds=${2:-2}
cd "$(dirname "$0")/.."
ls spark/target/smoothing4j-spark-*.jar spark/target/dependency > /dev/null 2>&1 || mvn -B -q package -DskipTests -pl spark -am
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
home=$work/spark-home; mkdir -p "$home/jars"; echo "smoothing4j cluster" > "$home/RELEASE"
for j in spark/target/dependency/*.jar spark/target/smoothing4j-spark-*.jar; do ln -s "$PWD/$j" "$home/jars/"; done
mapfile -t opens < <(bin/jvm-options --spark)
export SPARK_HOME=$home SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
export SMOOTHING4J_DATA=${SMOOTHING4J_DATA:-$PWD/data/sets}
java -Xmx512m "${opens[@]}" -cp "$home/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7177 \
  --webui-port 8180 > "$work/master.log" 2>&1 &
sleep 5
for w in 1 2; do
  java -Xmx512m "${opens[@]}" -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker spark://127.0.0.1:7177 \
    --host 127.0.0.1 --cores 1 --memory 3g --webui-port $((8180 + w)) --work-dir "$work/work$w" > "$work/worker$w.log" 2>&1 &
done
for i in $(seq 60); do grep -q "Successfully registered" "$work/worker1.log" "$work/worker2.log" 2>/dev/null && \
  [ "$(grep -l "Successfully registered" "$work"/worker*.log | wc -l)" = 2 ] && break; sleep 1; done
flags="--dataset fashion-mnist --model $model --sigma 0.5 --skip 50 --n0 100 --n 10000"
samples=$((200 * 10100))
run() { # name command...
  local name=$1; shift; local t0 t1; t0=$(date +%s.%N)
  "$@" > "$work/$name.out" 2>&1 || { echo "$name failed:"; tail -5 "$work/$name.out"; return 1; }
  t1=$(date +%s.%N)
  python3 -c "t = $t1 - $t0; print(f'$name: {t:.1f} s, {$samples / t:,.0f} samples/s')"
}
for r in $(seq "$rounds"); do
  rm -f "$work"/*.tsv*
  run "cli" bin/smoothing4j certify $flags --out "$work/cli.tsv"
  run "spark local[1]" bin/smoothing4j-spark certify --master "local[1]" $flags --out "$work/l1.tsv"
  run "spark local[2]" bin/smoothing4j-spark certify --master "local[2]" $flags --out "$work/l2.tsv"
  run "spark standalone, 2 workers x 1 core" bin/smoothing4j-spark certify --master spark://127.0.0.1:7177 \
    --partitions 8 --conf spark.driver.host=127.0.0.1 --conf spark.executor.memory=2g $flags --out "$work/sa.tsv"
  for f in l1 l2 sa; do cmp <(cut -f1-5 "$work/cli.tsv") <(cut -f1-5 "$work/$f.tsv") > /dev/null \
    || echo "rows of $f differ from the CLI's"; done
done
