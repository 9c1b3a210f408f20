package io.fairbeam.util;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Python's float repr, value by value as CPython prints them. */
public class PythonFloatsTest {
  @Test
  public void matchesCpythonRepr() {
    assertEquals("0.5", PythonFloats.repr(0.5));
    assertEquals("0.1", PythonFloats.repr(0.1));
    assertEquals("0.25", PythonFloats.repr(0.25));
    assertEquals("1.0", PythonFloats.repr(1.0));
    assertEquals("123.0", PythonFloats.repr(123.0));
    assertEquals("0.0001", PythonFloats.repr(0.0001));
    assertEquals("1e-05", PythonFloats.repr(0.00001));
    assertEquals("1e+16", PythonFloats.repr(1e16));
    assertEquals("1234567890123456.0", PythonFloats.repr(1234567890123456.0));
    assertEquals("-2.5", PythonFloats.repr(-2.5));
    assertEquals("0.10000000149011612", PythonFloats.repr((float) 0.1));
    assertEquals("1.5e-07", PythonFloats.repr(1.5e-7));
    assertEquals("nan", PythonFloats.repr(Double.NaN));
  }
}
