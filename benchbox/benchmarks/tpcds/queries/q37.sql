-- TPC-DS Q37 (Appendix B.37): items of four manufacturers in a $30 price band, sold through the catalog,
-- that had 100 to 500 units on hand in inventory in a 60-day period.
-- @param PRICE 68 ~ uniform(10, 70)
-- @param MANUFACT_ID [677, 940, 694, 808] ~ sample(ints(667, 1000), 4)
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param INVDATE '2000-02-01' ~ day(f'{YEAR}-01-01', f'{YEAR}-07-24')
select i_item_id, i_item_desc, i_current_price
from item, inventory, date_dim, catalog_sales
where i_current_price between ${PRICE} and ${PRICE} + 30
  and inv_item_sk = i_item_sk
  and d_date_sk = inv_date_sk
  and d_date between date '${INVDATE}' and date '${INVDATE}' + interval '60' day
  and i_manufact_id in (${MANUFACT_ID})
  and inv_quantity_on_hand between 100 and 500
  and cs_item_sk = i_item_sk
group by i_item_id, i_item_desc, i_current_price
order by i_item_id
limit 100
