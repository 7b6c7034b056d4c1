package org.smoothing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.smoothing4j.train.TrainConfig;

class ProfileTest {
    @Test
    void quickRadiiStopAtThreeSigmaAndPaperRadiiAtTheLargestCertifiable() {
        // quick: 0, 0.25, ... up to 3 sigma; paper: up to the largest radius n_max = 100,000 samples certify
        // (sigma Phi^-1 of the Clopper-Pearson bound of 100,000 / 100,000 at alpha / K: 1.85 at sigma 0.5)
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5}, Profile.QUICK.radii(0.5, 3.0).radii());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, Profile.QUICK.radii(0.25, 3.0).radii());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75}, Profile.PAPER.radii(0.5, 3.0).radii());
        assertEquals(9, Profile.QUICK.radii(1.0, 2.0).radii().length); // maxRadius caps too
        // the tiny test budget (n_max = 200) certifies at most about 1.6 sigma: 0.41 at sigma 0.25, 0.16 at sigma 0.1,
        // where radius 0 is all that is left
        assertArrayEquals(new double[] {0, 0.25}, Profile.TEST.radii(0.25, 3.0).radii());
        assertArrayEquals(new double[] {0}, Profile.TEST.radii(0.1, 3.0).radii());
    }

    @Test
    void quickModelsUseTheWholeTrainingSetForThreeEpochsAtLr002() {
        TrainConfig c = Profile.QUICK.gaussian("fashion-mnist", 0.5);
        assertEquals(3, c.optimiser().epochs());
        assertEquals(0.02, c.optimiser().lr());
        assertEquals(2, c.optimiser().lrStep());
        assertEquals(-1, c.data().trainSize());
        TrainConfig s = Profile.QUICK.smoothAdv("fashion-mnist", 0.5, 1.0, 2, 4);
        assertEquals("smoothadv", s.method());
        assertEquals(4, s.recipe().noiseSamples());
        assertEquals(true, s.recipe().multiNoise());
        assertEquals(0.02, s.optimiser().lr());
    }
}
