package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.smoothing4j.model.Classifier;
import org.smoothing4j.noise.NoiseFamily;

/**
 * The smoothing specification is one value, checked where it is built: every combination of noise family, norm and
 * modes (box, sound grid, two-sided radius) is either accepted, the same value whatever the order in which the modes
 * are added, or refused in every order, with a message naming both parts that cannot go together. The
 * trap of the earlier API (a sound classifier turned into a standard one, without a word, by giving it another noise
 * family afterwards) cannot be built.
 */
class SmoothingTest {
    private static final double SIGMA = 0.5;

    /** The modes, each with the flag that names it. */
    private record Mode(String flag, UnaryOperator<Smoothing> add) {}

    private static final List<Mode> MODES = List.of(new Mode("--box", Smoothing::withBox),
            new Mode("--sound", s -> s.withSoundGrid(255)), new Mode("--two-sided-radius",
                    Smoothing::withTwoSidedRadius));

    /** Builds family/norm with the given modes in the given order: the value, or the refusal's message. */
    private static Object build(NoiseFamily family, Norm norm, List<Mode> modes) {
        try {
            Smoothing s = Smoothing.of(family, SIGMA, norm);
            for (Mode m : modes) {
                s = m.add().apply(s);
            }
            return s;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Every ordering of a list of at most three modes. */
    private static List<List<Mode>> orders(List<Mode> modes) {
        List<List<Mode>> out = new ArrayList<>();
        if (modes.size() <= 1) {
            out.add(modes);
            return out;
        }
        for (Mode first : modes) {
            List<Mode> rest = new ArrayList<>(modes);
            rest.remove(first);
            for (List<Mode> tail : orders(rest)) {
                List<Mode> o = new ArrayList<>(List.of(first));
                o.addAll(tail);
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void everyCombinationIsAcceptedOrRefusedWhateverTheOrderOfCalls() {
        int accepted = 0, refused = 0;
        for (NoiseFamily family : NoiseFamily.values()) {
            for (Norm norm : Norm.values()) {
                for (int subset = 0; subset < 1 << MODES.size(); subset++) {
                    List<Mode> modes = new ArrayList<>();
                    for (int i = 0; i < MODES.size(); i++) {
                        if ((subset >> i & 1) == 1) {
                            modes.add(MODES.get(i));
                        }
                    }
                    List<Object> results = new ArrayList<>();
                    for (List<Mode> order : orders(modes)) {
                        results.add(build(family, norm, order));
                    }
                    String where = family.id() + " " + norm.id() + " " + modes.stream().map(Mode::flag).toList();
                    long refusals = results.stream().filter(r -> r instanceof String).count();
                    assertTrue(refusals == 0 || refusals == results.size(), where + ": the order of calls decides "
                            + "whether it is refused: " + results);
                    if (refusals > 0) {
                        refused++;
                        // each refusal names a mode given and what it conflicts with (with two conflicts, the one met
                        // first in that order)
                        for (Object r : results) {
                            String message = (String) r;
                            assertTrue(modes.stream().anyMatch(m -> message.contains(m.flag())), where + ": " + message);
                            assertTrue(message.contains("--noise") || message.contains("--norm"), where + ": "
                                    + message);
                        }
                    } else {
                        assertTrue(results.stream().distinct().count() == 1, where + ": the order of calls decides: "
                                + results);
                        accepted++;
                        Smoothing s = (Smoothing) results.get(0);
                        assertEquals(new Smoothing(family, SIGMA, norm, modes.contains(MODES.get(0)),
                                modes.contains(MODES.get(1)), 255, modes.contains(MODES.get(2))), s);
                    }
                }
            }
        }
        assertTrue(accepted > 10 && refused > 10, accepted + " accepted, " + refused + " refused");
    }

    @Test
    void everyPairThatCannotBeSoundOrMeaningfulIsRefusedNamingBoth() {
        // the sound mode draws the rounded Gaussian: with Laplace or uniform noise it cannot be sound
        for (NoiseFamily f : List.of(NoiseFamily.LAPLACE, NoiseFamily.UNIFORM)) {
            String m = assertThrows(IllegalArgumentException.class,
                    () -> Smoothing.of(f, SIGMA, Norm.L1).withSoundGrid(255)).getMessage();
            assertTrue(m.contains("--sound") && m.contains("--noise gaussian") && m.contains(f.id()), m);
        }
        // the box is uniform noise's L1 certificate; the two-sided radius Gaussian L2's
        String box = assertThrows(IllegalArgumentException.class,
                () -> Smoothing.of(NoiseFamily.UNIFORM, SIGMA, Norm.L2).withBox()).getMessage();
        assertTrue(box.contains("--box") && box.contains("--norm l2"), box);
        String twoSided = assertThrows(IllegalArgumentException.class,
                () -> Smoothing.of(NoiseFamily.GAUSSIAN, SIGMA, Norm.L1).withTwoSidedRadius()).getMessage();
        assertTrue(twoSided.contains("--two-sided-radius") && twoSided.contains("--norm l1"), twoSided);
        // the values of sigma and the grid
        for (double bad : new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            String m = assertThrows(IllegalArgumentException.class, () -> Smoothing.gaussian(bad)).getMessage();
            assertEquals("--sigma must be a finite number > 0, got " + bad, m);
        }
        for (int bad : new int[] {0, -1, 65536}) {
            String m = assertThrows(IllegalArgumentException.class, () -> Smoothing.gaussian(SIGMA).withSoundGrid(bad))
                    .getMessage();
            assertEquals("--grid-levels must be in [1, 65535], got " + bad, m);
        }
    }

    @Test
    void aSoundSmoothedClassifierStaysSoundAndCannotBeGivenAnotherFamily() {
        Classifier f = Classifier.of(b -> b.reshape(b.size(0), 2), 2, 1, 1, 2);
        SmoothedClassifier sound = SmoothedClassifier.of(f, Smoothing.gaussian(SIGMA).withSoundGrid(255));
        assertTrue(sound.sound() && sound.withBatchSize(7).withWorkers(1).withEarlyAbstention(false).sound());
        assertTrue(!SmoothedClassifier.of(f, SIGMA).sound());
        // the earlier trap, withSoundGrid(255).withSmoothing(laplace): the only way to ask for it now is refused
        assertThrows(IllegalArgumentException.class,
                () -> SmoothedClassifier.of(f, Smoothing.of(NoiseFamily.LAPLACE, SIGMA, Norm.L1).withSoundGrid(255)));
        assertThrows(IllegalArgumentException.class,
                () -> SmoothedClassifier.of(f, sound.smoothing().withBox()));
    }
}
