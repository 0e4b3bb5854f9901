-- The Star Schema Benchmark's five tables from TPC-H's, in DuckDB SQL: benchbox's one
-- documented transformation (docs/benchmarks/ssb.md). {tpch} is the folder of the TPC-H
-- Parquet files of the same scale factor. The five tables exist already, empty, with the
-- schema's types and NOT NULL (ssb/schema.py); each INSERT fills one, and data.py copies
-- each to Parquet. Keys and row counts are TPC-H's: lineorder is lineitem with its order's
-- columns and its partsupp row's supply cost.
CREATE TEMP TABLE nation_region AS
SELECT n_nationkey AS nationkey, n_name AS nation, r_name AS region,
       rpad(left(n_name, 9), 9, ' ') AS city_prefix
FROM read_parquet('{tpch}/nation.parquet')
JOIN read_parquet('{tpch}/region.parquet') ON n_regionkey = r_regionkey;

INSERT INTO customer
SELECT c_custkey, c_name, c_address,
       city_prefix || CAST(c_custkey % 10 AS VARCHAR),
       nation, region, c_phone, c_mktsegment
FROM read_parquet('{tpch}/customer.parquet') JOIN nation_region ON c_nationkey = nationkey
ORDER BY c_custkey;

INSERT INTO supplier
SELECT s_suppkey, s_name, s_address,
       city_prefix || CAST(s_suppkey % 10 AS VARCHAR),
       nation, region, s_phone
FROM read_parquet('{tpch}/supplier.parquet') JOIN nation_region ON s_nationkey = nationkey
ORDER BY s_suppkey;

-- p_brand is 'Brand#MN' (M the manufacturer 1-5, N 1-5): the category is 'MFGR#MN', and the
-- brand adds 1-40 from the key, so each category's parts spread evenly over its 40 brands.
INSERT INTO part
SELECT p_partkey,
       split_part(p_name, ' ', 1) || ' ' || split_part(p_name, ' ', 2),
       'MFGR#' || substr(p_brand, 7, 1),
       'MFGR#' || substr(p_brand, 7, 2),
       'MFGR#' || substr(p_brand, 7, 2) || CAST((p_partkey - 1) % 40 + 1 AS VARCHAR),
       split_part(p_name, ' ', 3),
       p_type, p_size, p_container
FROM read_parquet('{tpch}/part.parquet')
ORDER BY p_partkey;

-- Every day of 1992-1998, the seven years TPC-H's order and commit dates fall in.
INSERT INTO dates
SELECT CAST(strftime(d, '%Y%m%d') AS INTEGER),
       strftime(d, '%B %-d, %Y'),
       strftime(d, '%A'),
       strftime(d, '%B'),
       year(d),
       year(d) * 100 + month(d),
       strftime(d, '%b%Y'),
       dayofweek(d) + 1,
       day(d),
       dayofyear(d),
       month(d),
       (dayofyear(d) - 1) // 7 + 1,
       CASE WHEN month(d) = 12 THEN 'Christmas'
            WHEN month(d) IN (1, 2) THEN 'Winter'
            WHEN month(d) IN (3, 4, 5) THEN 'Spring'
            WHEN month(d) IN (6, 7, 8) THEN 'Summer'
            ELSE 'Fall' END,
       CAST(dayofweek(d) = 6 AS INTEGER),
       CAST(d = last_day(d) AS INTEGER),
       CAST(strftime(d, '%m-%d') IN ('01-01', '07-04', '12-25') AS INTEGER),
       CAST(dayofweek(d) BETWEEN 1 AND 5 AS INTEGER)
FROM (SELECT CAST(range AS DATE) AS d FROM range(DATE '1992-01-01', DATE '1999-01-01', INTERVAL 1 DAY))
ORDER BY 1;

-- Discounts and taxes become whole percents, quantities integers; the revenue is the
-- extended price less the discount, truncated to the cent as ssb-dbgen's integer division does.
INSERT INTO lineorder
SELECT l_orderkey, l_linenumber, o_custkey, l_partkey, l_suppkey,
       CAST(strftime(o_orderdate, '%Y%m%d') AS INTEGER),
       o_orderpriority,
       CAST(o_shippriority AS VARCHAR),
       CAST(l_quantity AS INTEGER),
       l_extendedprice,
       o_totalprice,
       CAST(l_discount * 100 AS INTEGER),
       floor(l_extendedprice * (100 - l_discount * 100)) / 100,
       ps_supplycost,
       CAST(l_tax * 100 AS INTEGER),
       CAST(strftime(l_commitdate, '%Y%m%d') AS INTEGER),
       l_shipmode
FROM read_parquet('{tpch}/lineitem.parquet')
JOIN read_parquet('{tpch}/orders.parquet') ON o_orderkey = l_orderkey
JOIN read_parquet('{tpch}/partsupp.parquet') ON ps_partkey = l_partkey AND ps_suppkey = l_suppkey
ORDER BY l_orderkey, l_linenumber;
