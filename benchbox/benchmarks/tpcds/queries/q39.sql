-- TPC-DS Q39 (Appendix B.39): items and warehouses whose monthly inventory on hand varies a lot
-- (coefficient of variation above 1) in two consecutive months of a year, with the mean and the
-- coefficient of both months; the second part keeps those whose first-month coefficient is above 1.5.
-- @param YEAR 2001 ~ uniform(1998, 2002)
-- @param MONTH 1 ~ uniform(1, 4)
with monthly_stats as (
    select
        w_warehouse_name,
        w_warehouse_sk,
        i_item_sk,
        d_moy,
        stddev_samp(inv_quantity_on_hand) as stdev,
        avg(inv_quantity_on_hand) as mean
    from inventory, item, warehouse, date_dim
    where inv_item_sk = i_item_sk
      and inv_warehouse_sk = w_warehouse_sk
      and inv_date_sk = d_date_sk
      and d_year = ${YEAR}
    group by w_warehouse_name, w_warehouse_sk, i_item_sk, d_moy
),
variable_stock as (
    select
        w_warehouse_name,
        w_warehouse_sk,
        i_item_sk,
        d_moy,
        stdev,
        mean,
        case when mean = 0 then null else stdev / mean end as cov
    from monthly_stats
    where case when mean = 0 then 0 else stdev / mean end > 1
)
select
    m1.w_warehouse_sk,
    m1.i_item_sk,
    m1.d_moy,
    m1.mean,
    m1.cov,
    m2.w_warehouse_sk as next_w_warehouse_sk,
    m2.i_item_sk as next_i_item_sk,
    m2.d_moy as next_d_moy,
    m2.mean as next_mean,
    m2.cov as next_cov
from variable_stock m1, variable_stock m2
where m1.i_item_sk = m2.i_item_sk
  and m1.w_warehouse_sk = m2.w_warehouse_sk
  and m1.d_moy = ${MONTH}
  and m2.d_moy = ${MONTH} + 1
order by
    m1.w_warehouse_sk,
    m1.i_item_sk,
    m1.d_moy,
    m1.mean,
    m1.cov,
    m2.d_moy,
    m2.mean,
    m2.cov
;
with monthly_stats as (
    select
        w_warehouse_name,
        w_warehouse_sk,
        i_item_sk,
        d_moy,
        stddev_samp(inv_quantity_on_hand) as stdev,
        avg(inv_quantity_on_hand) as mean
    from inventory, item, warehouse, date_dim
    where inv_item_sk = i_item_sk
      and inv_warehouse_sk = w_warehouse_sk
      and inv_date_sk = d_date_sk
      and d_year = ${YEAR}
    group by w_warehouse_name, w_warehouse_sk, i_item_sk, d_moy
),
variable_stock as (
    select
        w_warehouse_name,
        w_warehouse_sk,
        i_item_sk,
        d_moy,
        stdev,
        mean,
        case when mean = 0 then null else stdev / mean end as cov
    from monthly_stats
    where case when mean = 0 then 0 else stdev / mean end > 1
)
select
    m1.w_warehouse_sk,
    m1.i_item_sk,
    m1.d_moy,
    m1.mean,
    m1.cov,
    m2.w_warehouse_sk as next_w_warehouse_sk,
    m2.i_item_sk as next_i_item_sk,
    m2.d_moy as next_d_moy,
    m2.mean as next_mean,
    m2.cov as next_cov
from variable_stock m1, variable_stock m2
where m1.i_item_sk = m2.i_item_sk
  and m1.w_warehouse_sk = m2.w_warehouse_sk
  and m1.d_moy = ${MONTH}
  and m2.d_moy = ${MONTH} + 1
  and m1.cov > 1.5
order by
    m1.w_warehouse_sk,
    m1.i_item_sk,
    m1.d_moy,
    m1.mean,
    m1.cov,
    m2.d_moy,
    m2.mean,
    m2.cov
