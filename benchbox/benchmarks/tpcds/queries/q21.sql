-- TPC-DS Q21 (Appendix B.21): per warehouse and item priced $0.99 to $1.49, inventory on hand in
-- the 30 days before and after a date, where the after/before ratio lies between 2/3 and 3/2.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param SALES_DATE '2000-03-11' ~ day(f'{YEAR}-01-31', f'{YEAR}-07-01')
with around_date as (
    select
        w_warehouse_name,
        i_item_id,
        sum(case when d_date < date '${SALES_DATE}' then inv_quantity_on_hand else 0 end) as inv_before,
        sum(case when d_date >= date '${SALES_DATE}' then inv_quantity_on_hand else 0 end) as inv_after
    from inventory, warehouse, item, date_dim
    where i_current_price between 0.99 and 1.49
      and i_item_sk = inv_item_sk
      and w_warehouse_sk = inv_warehouse_sk
      and d_date_sk = inv_date_sk
      and d_date between date '${SALES_DATE}' - interval '30' day and date '${SALES_DATE}' + interval '30' day
    group by w_warehouse_name, i_item_id
)
select w_warehouse_name, i_item_id, inv_before, inv_after
from around_date
-- inv_after / inv_before between 2/3 and 3/2, in integer arithmetic
where inv_before > 0
  and 3 * inv_after >= 2 * inv_before
  and 2 * inv_after <= 3 * inv_before
order by w_warehouse_name, i_item_id
limit 100
