// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_too_deep.bpf.c: edeep.leaf nested in 70 anonymous
 * structs (written out, not generated at build time). */
struct edeep {
	int pad;
	struct {
		struct {
			struct {
				struct {
					struct {
						struct {
							struct {
								struct {
									struct {
										struct {
											struct {
												struct {
													struct {
														struct {
															struct {
																struct {
																	struct {
																		struct {
																			struct {
																				struct {
																					struct {
																						struct {
																							struct {
																								struct {
																									struct {
																										struct {
																											struct {
																												struct {
																													struct {
																														struct {
																															struct {
																																struct {
																																	struct {
																																		struct {
																																			struct {
																																				struct {
																																					struct {
																																						struct {
																																							struct {
																																								struct {
																																									struct {
																																										struct {
																																											struct {
																																												struct {
																																													struct {
																																														struct {
																																															struct {
																																																struct {
																																																	struct {
																																																		struct {
																																																			struct {
																																																				struct {
																																																					struct {
																																																						struct {
																																																							struct {
																																																								struct {
																																																									struct {
																																																										struct {
																																																											struct {
																																																												struct {
																																																													struct {
																																																														struct {
																																																															struct {
																																																																struct {
																																																																	struct {
																																																																		struct {
																																																																			struct {
																																																																				struct {
																																																																					struct {
																																																																						struct {
																																																																							int leaf;
																																																																						};
																																																																					};
																																																																				};
																																																																			};
																																																																		};
																																																																	};
																																																																};
																																																															};
																																																														};
																																																													};
																																																												};
																																																											};
																																																										};
																																																									};
																																																								};
																																																							};
																																																						};
																																																					};
																																																				};
																																																			};
																																																		};
																																																	};
																																																};
																																															};
																																														};
																																													};
																																												};
																																											};
																																										};
																																									};
																																								};
																																							};
																																						};
																																					};
																																				};
																																			};
																																		};
																																	};
																																};
																															};
																														};
																													};
																												};
																											};
																										};
																									};
																								};
																							};
																						};
																					};
																				};
																			};
																		};
																	};
																};
															};
														};
													};
												};
											};
										};
									};
								};
							};
						};
					};
				};
			};
		};
	};
};
struct edeep g1;
